/**
 * Writes runner/contract/challenge-manifest.schema.json from the zod schema of challenge.yaml
 * (`npm run schema:manifest`). Run it after any change to runner/contract/challenge-manifest.schema.ts;
 * test/unit/runner/manifest-json-schema.test.ts fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  MANIFEST_JSON_SCHEMA_PATH,
  manifestJsonSchemaText,
} from '../runner/contract/challenge-manifest-json-schema';

const target = path.resolve(__dirname, '..', MANIFEST_JSON_SCHEMA_PATH);
writeFileSync(target, manifestJsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
