import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { AppError } from '../contract/app-error';
import { slugSchema } from '../contract/challenge-manifest.schema';
import { MANIFEST_JSON_SCHEMA_PATH, yamlSchemaModeline } from '../contract/challenge-manifest-json-schema';

/** Repository root (this file is runner/authoring/new-challenge.ts). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Template folder: `templates/<runtime>/<service>/` holds the runtime's starter, reference and wrong/
 * solutions for one database engine; `templates/services/<service>/` the engine's db/ recipe and hidden
 * tests (the SDK is TypeScript whatever the candidate's runtime). Files end in `.tmpl`; `__ID__`, `__DB__`
 * and `__GRADER__` are replaced. A new runtime or engine is a new folder plus an entry below.
 */
export const TEMPLATES_DIR = path.join(__dirname, 'templates');

/** Runtimes `challenge new` can scaffold, and the engines each has templates for. */
export const SCAFFOLDS: Readonly<Record<string, readonly string[]>> = { node22: ['postgres'] };

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

  const db = o.id.replace(/-/g, '_');
  const grader = path.relative(path.join(dir, 'hidden-tests'), path.join(REPO_ROOT, 'grader'));
  const fill = (text: string): string =>
    text
      .replace(/__ID__/g, o.id)
      .replace(/__DB__/g, db)
      .replace(/__GRADER__/g, grader.split(path.sep).join('/'));

  await copyTemplates(path.join(TEMPLATES_DIR, o.runtime, o.service), dir, fill);
  await copyTemplates(path.join(TEMPLATES_DIR, 'services', o.service), dir, fill);
  const schemaPath = path
    .relative(dir, path.join(REPO_ROOT, MANIFEST_JSON_SCHEMA_PATH))
    .split(path.sep)
    .join('/');
  await writeFile(path.join(dir, 'challenge.yaml'), manifestText(o, db, schemaPath));
  await writeFile(path.join(dir, 'README.md'), readmeText(o.id));
  await writeDefectPatch(dir);
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
 * The wrong/leaky-errors solution: the reference with its id validation removed and the driver's message
 * sent on a failed query, as a unified diff over reference/server.js.
 */
async function writeDefectPatch(dir: string): Promise<void> {
  const file = path.join(dir, 'reference', 'server.js');
  const before = await readFile(file, 'utf8');
  const after = before
    .replace(
      "      if (!/^[1-9][0-9]{0,8}$/.test(match[1])) return problem(res, 404, 'The item does not exist.');\n",
      '',
    )
    .replace('[Number(match[1])]', '[match[1]]')
    .replace(
      "  } catch {\n    problem(res, 500, 'Internal error.');",
      '  } catch (err) {\n    problem(res, 500, String(err.stack));',
    );
  if (after === before)
    throw new AppError('INTERNAL', 'the leaky-errors defect no longer matches the reference template');
  await writeFile(
    path.join(dir, 'wrong', 'leaky-errors', 'defect.patch'),
    createTwoFilesPatch('a/server.js', 'b/server.js', before, after),
  );
}

function manifestText(o: NewChallengeOptions, db: string, schemaPath: string): string {
  return `${yamlSchemaModeline(schemaPath)}
# Manifest of ${o.id} (made by stackgrade challenge new; see docs/authoring.md). Check ids are stable:
# never reuse or rename one; add new ids instead.
id: ${o.id}
version: 1
title: ${o.id}
summary: A small HTTP JSON service over a seeded database. Replace this line with the challenge's pitch.
runtimes: [${o.runtime}]
services:
  - kind: ${o.service}
    name: db
    image: db
    port: 5432
    database: ${db}
    candidate_role: app
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
  - id: q-items-list-statements
    category: query_optimization
    weight: 1
    title: GET /items runs a single statement
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

function readmeText(id: string): string {
  return `# ${id}

Replace this statement with the challenge's own. Candidates read it whole: say what to build, not how it
is checked in detail.

## Runtime

Node.js 22. The service listens on \`$PORT\` and uses PostgreSQL 15 at \`$DATABASE_URL\` (a non-superuser
role that owns the tables). \`npm start\` (\`scripts.start\` of package.json) starts it.

Table \`items(id serial primary key, name text not null)\`, seeded with 20 rows.

## Endpoints

- \`GET /health\` → 200 \`{"status":"ok"}\`
- \`GET /items\` → 200, a JSON array of \`{"id", "name"}\` ordered by id
- \`GET /items/{id}\` → 200 \`{"id", "name"}\`, or 404
- \`POST /items\` with \`{"name": "..."}\` → 201 \`{"id", "name"}\` and a \`Location\` header; invalid → 422,
  malformed JSON → 400
- Errors are RFC 9457 \`application/problem+json\`; a wrong method on a known path is 405 with \`Allow\`.

## How it is graded

Hidden checks in five categories: correctness, API design, query optimization (statements the database
ran for a request), security (bad input never yields a 5xx or an internal message) and performance
(throughput as a ratio to a reference solution on the same machine). Checks marked practice can be run as
often as you like with \`stackgrade practice\` or \`mode: practice\`; their results are shown in full.
`;
}
