import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  MANIFEST_JSON_SCHEMA_PATH,
  manifestJsonSchemaText,
} from '../../../runner/contract/challenge-manifest-json-schema';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Every challenge.yaml in the repository outside node_modules and dot-folders. */
function manifestsIn(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...manifestsIn(p));
    else if (e.name === 'challenge.yaml') out.push(p);
  }
  return out;
}

describe('JSON Schema of challenge.yaml', () => {
  it('the committed file is what the zod schema generates (npm run schema:manifest refreshes it)', () => {
    const committed = readFileSync(path.join(ROOT, MANIFEST_JSON_SCHEMA_PATH), 'utf8');
    expect(committed).toBe(manifestJsonSchemaText());
  });

  it('describes the practice flag of a check and the required top-level fields', () => {
    const schema = JSON.parse(manifestJsonSchemaText()) as {
      required: string[];
      properties: { checks: { items: { properties: Record<string, unknown>; required: string[] } } };
    };
    expect(schema.properties.checks.items.properties.practice).toEqual({ default: false, type: 'boolean' });
    expect(schema.properties.checks.items.required).not.toContain('practice');
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'checks', 'limits', 'validate']));
  });

  const manifests = [...manifestsIn(path.join(ROOT, 'challenges')), ...manifestsIn(path.join(ROOT, 'test'))];
  it.each(manifests.map((m) => [path.relative(ROOT, m)]))(
    '%s starts with a yaml-language-server $schema line that resolves to the schema',
    (rel) => {
      const first = readFileSync(path.join(ROOT, rel), 'utf8').split('\n')[0]!;
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match).not.toBeNull();
      const target = path.resolve(path.dirname(path.join(ROOT, rel)), match![1]!);
      expect(path.relative(ROOT, target)).toBe(MANIFEST_JSON_SCHEMA_PATH);
      expect(existsSync(target)).toBe(true);
    },
  );
});
