import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { AppError } from '../contract/app-error';
import { slugSchema } from '../contract/challenge-manifest.schema';
import { MANIFEST_JSON_SCHEMA_PATH, yamlSchemaModeline } from '../contract/challenge-manifest-json-schema';
import { RUNTIME_PARTS, SERVICE_PARTS, type RuntimePart, type ServicePart } from './scaffold-parts';

/** Repository root (this file is runner/authoring/new-challenge.ts). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Template folders (files end in `.tmpl`; `__ID__`, `__DB__`, `__GRADER__`, `__ENGINE__` and `__ENV__` are
 * replaced), copied in this order: `<runtime>/starter/` (the starter, the same for every engine),
 * `<runtime>/reference/` (the reference's HTTP layer) and `<runtime>/<service>/reference/` (its storage and
 * dependencies), `services/<service>/` (the db/ recipe and the engine's hidden tests: the SDK is TypeScript
 * whatever the candidate's runtime), then `common/` (the HTTP-only hidden checks, wrong/'s expected.json).
 * A new runtime or engine is its folders plus an entry in scaffold-parts.ts.
 */
export const TEMPLATES_DIR = path.join(__dirname, 'templates');

/** Runtimes `challenge new` can scaffold, and the engines each has templates for (every runtime × engine). */
export const SCAFFOLDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.keys(RUNTIME_PARTS).map((runtime) => [runtime, Object.keys(SERVICE_PARTS)]),
);

/** Options of {@link newChallenge}. */
export interface NewChallengeOptions {
  /** Challenge id: the folder name and the manifest's `id` (lower-case letters, digits, dashes). */
  id: string;
  /** Folder the challenge folder is created in (e.g. `challenges`). */
  parentDir: string;
  runtime: string;
  service: string;
}

/**
 * Writes a complete challenge package `<parentDir>/<id>/` from the templates of `runtime` × `service`:
 * challenge.yaml (starting with the `$schema` line), README.md, db/, starter/, reference/, hidden-tests/
 * with one check per category written with the grader SDK, and one wrong/ solution (a defect.patch over
 * the reference, made here so it always applies). `challenge lint` and `challenge validate` pass on it as
 * generated.
 *
 * @returns the created folder (absolute).
 * @throws AppError `VALIDATION_FAILED` for an invalid id, an unknown runtime or service, or when the folder
 *   already exists (nothing is overwritten).
 */
export async function newChallenge(o: NewChallengeOptions): Promise<string> {
  if (!slugSchema.safeParse(o.id).success)
    throw new AppError('VALIDATION_FAILED', `challenge id ${o.id}: lower-case letters, digits and dashes`);
  const services = SCAFFOLDS[o.runtime];
  if (!services)
    throw new AppError(
      'VALIDATION_FAILED',
      `no templates for runtime ${o.runtime}; available: ${Object.keys(SCAFFOLDS).join(', ')}`,
    );
  if (!services.includes(o.service))
    throw new AppError(
      'VALIDATION_FAILED',
      `no templates for service ${o.service} on ${o.runtime}; available: ${services.join(', ')}`,
    );
  const dir = path.resolve(o.parentDir, o.id);
  if (
    await stat(dir).then(
      () => true,
      () => false,
    )
  )
    throw new AppError('VALIDATION_FAILED', `${dir} already exists`);

  const runtime = RUNTIME_PARTS[o.runtime]!;
  const service = SERVICE_PARTS[o.service]!;
  const db = o.id.replace(/-/g, '_');
  const grader = path.relative(path.join(dir, 'hidden-tests'), path.join(REPO_ROOT, 'grader'));
  const fill = (text: string): string =>
    text
      .replace(/__ID__/g, o.id)
      .replace(/__DB__/g, db)
      .replace(/__GRADER__/g, grader.split(path.sep).join('/'))
      .replace(/__ENGINE__/g, service.engine)
      .replace(/__ENV__/g, service.env);

  await copyTemplates(path.join(TEMPLATES_DIR, o.runtime, 'starter'), path.join(dir, 'starter'), fill);
  await copyTemplates(path.join(TEMPLATES_DIR, o.runtime, 'reference'), path.join(dir, 'reference'), fill);
  await copyTemplates(
    path.join(TEMPLATES_DIR, o.runtime, o.service, 'reference'),
    path.join(dir, 'reference'),
    fill,
  );
  await copyTemplates(path.join(TEMPLATES_DIR, 'services', o.service), dir, fill);
  await copyTemplates(path.join(TEMPLATES_DIR, 'common'), dir, fill);
  const schemaPath = path
    .relative(dir, path.join(REPO_ROOT, MANIFEST_JSON_SCHEMA_PATH))
    .split(path.sep)
    .join('/');
  await writeFile(path.join(dir, 'challenge.yaml'), fill(manifestText(o, service, schemaPath)));
  await writeFile(path.join(dir, 'README.md'), readmeText(o.id, runtime, service));
  await writeDefectPatch(dir, runtime);
  return dir;
}

async function copyTemplates(from: string, to: string, fill: (t: string) => string): Promise<void> {
  for (const e of await readdir(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    if (e.isDirectory()) {
      await copyTemplates(src, path.join(to, e.name), fill);
    } else if (e.name.endsWith('.tmpl')) {
      await mkdir(to, { recursive: true });
      await writeFile(path.join(to, e.name.slice(0, -'.tmpl'.length)), fill(await readFile(src, 'utf8')));
    }
  }
}

/**
 * The wrong/leaky-errors solution: the reference with the runtime's defect edits applied (malformed JSON
 * not caught, the exception's message sent with a 500), as a unified diff over the edited reference file.
 *
 * @throws AppError `INTERNAL` when an edit no longer matches the reference template exactly once.
 */
async function writeDefectPatch(dir: string, runtime: RuntimePart): Promise<void> {
  const { file, edits } = runtime.leakyErrors;
  const before = await readFile(path.join(dir, 'reference', file), 'utf8');
  let after = before;
  for (const [from, to] of edits) {
    if (after.split(from).length !== 2)
      throw new AppError('INTERNAL', `the leaky-errors defect no longer matches reference/${file} once`);
    after = after.replace(from, () => to);
  }
  await writeFile(
    path.join(dir, 'wrong', 'leaky-errors', 'defect.patch'),
    createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after),
  );
}

function manifestText(o: NewChallengeOptions, service: ServicePart, schemaPath: string): string {
  return `${yamlSchemaModeline(schemaPath)}
# Manifest of ${o.id} (made by stackgrade challenge new; see docs/authoring.md). Check ids are stable:
# never reuse or rename one; add new ids instead.
id: ${o.id}
version: 1
title: ${o.id}
summary: A small HTTP JSON service over a seeded database. Replace this line with the challenge's pitch.
runtimes: [${o.runtime}]
services:
${service.manifest}
limits:
  wall_ms: 120000
  memory_mb: 256
  cpus: 1
  pids: 128
  tmpfs_mb: 16
  startup_ms: 20000
categories:
  correctness: 40
  api_design: 15
  query_optimization: 15
  security: 15
  performance: 15
# Runs the reference beside the candidate; needed by the performance check (a ratio to it).
performance_reference: true
validate:
  starter_max_score: 40
checks:
  - id: c-items-list
    category: correctness
    weight: 1
    visibility: full
    practice: true
    title: GET /items lists every stored item ordered by id
  - id: a-method-not-allowed
    category: api_design
    weight: 1
    practice: true
    title: A wrong method on /items answers 405 with Allow
  - id: ${service.queryCheck.id}
    category: query_optimization
    weight: 1
    title: ${service.queryCheck.title}
  - id: s-error-leakage
    category: security
    weight: 1
    title: Bad input never yields a 5xx, stack trace or driver message (OWASP API8:2023)
  - id: p-items-list
    category: performance
    weight: 1
    title: GET /items keeps at least half the reference's throughput
`;
}

function readmeText(id: string, runtime: RuntimePart, service: ServicePart): string {
  return `# ${id}

Replace this statement with the challenge's own. Candidates read it whole: say what to build, not how it
is checked in detail.

## Runtime

${runtime.readme}

${service.readme}

## Endpoints

- \`GET /health\` → 200 \`{"status":"ok"}\`
- \`GET /items\` → 200, a JSON array of \`{"id", "name"}\` ordered by id
- \`GET /items/{id}\` → 200 \`{"id", "name"}\`, or 404 (also for an id that cannot exist)
- \`POST /items\` with \`{"name": "..."}\` → 201 \`{"id", "name"}\` and a \`Location\` header; invalid → 422,
  malformed JSON → 400
- Errors are RFC 9457 \`application/problem+json\`; a wrong method on a known path is 405 with \`Allow\`.

## How it is graded

Hidden checks in five categories: correctness, API design, query optimization (${service.queryEvidence}),
security (bad input never yields a 5xx or an internal message) and performance (throughput as a ratio to a
reference solution on the same machine). Checks marked practice can be run as often as you like with
\`stackgrade practice\` or \`mode: practice\`; their results are shown in full.
`;
}
