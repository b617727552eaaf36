import { z } from 'zod';
import { challengeManifestSchema } from './challenge-manifest.schema';

/** Repository path of the committed JSON Schema of `challenge.yaml`, relative to the repository root. */
export const MANIFEST_JSON_SCHEMA_PATH = 'runner/contract/challenge-manifest.schema.json';

/**
 * First line of every `challenge.yaml`: tells the YAML language server (VS Code's YAML extension and
 * others) which JSON Schema completes and validates the file. `relativePath` leads from the manifest's
 * folder to {@link MANIFEST_JSON_SCHEMA_PATH}.
 */
export function yamlSchemaModeline(relativePath: string): string {
  return `# yaml-language-server: $schema=${relativePath}`;
}

/**
 * The JSON Schema (draft 2020-12) of `challenge.yaml` as an author writes it, generated from
 * {@link challengeManifestSchema} with zod's `z.toJSONSchema` (input side: fields with a default are
 * optional). Cross-field rules of the zod schema's refinement (unique check ids, category weights matching
 * the checks) are not expressible here; `stackgrade challenge lint` reports them. Deterministic: the same
 * zod schema gives the same text.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(challengeManifestSchema, { io: 'input', target: 'draft-2020-12' });
  return { ...schema, title: 'Stackgrade challenge manifest (challenge.yaml)' };
}

/** {@link manifestJsonSchema} as the committed file's text: two-space JSON and a final newline. */
export function manifestJsonSchemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}
