import fs from 'node:fs';
import path from 'node:path';
import type { SubmissionFiles } from '../archive';
import type { Mutant, MutantKind } from './mutant';
import { isSourceFile } from './source-mutants';

/** File the runtime shim is written to in a mutant, at the solution's root. */
export const SHIM_FILE = 'stackgrade-mutant.cjs';
/** Where a solution's root is mounted in the pod (runner/sandbox/container-specs.ts, `WorkingDir`). */
const APP_DIR = '/app';

const SHIM_SOURCE = fs.readFileSync(path.join(__dirname, 'pg-mutant-shim.cjs'), 'utf8');

/** Runtime mutant settings, read by pg-mutant-shim.cjs as `STACKGRADE_MUTANT`. */
type ShimConfig = { kind: 'drop-index'; index: string } | { kind: 'sql-concatenation' | 'per-row-query' };

/** True when the solution's package.json depends on node-postgres, which the runtime shim wraps. */
export function usesNodePostgres(files: SubmissionFiles): boolean {
  try {
    const pkg = JSON.parse(files.get('package.json')?.toString('utf8') ?? '{}') as {
      dependencies?: Record<string, string>;
    };
    return typeof pkg.dependencies?.pg === 'string';
  } catch {
    return false;
  }
}

/**
 * The solution with the shim added and `scripts.start` prefixed so Node.js preloads it
 * (`NODE_OPTIONS=--require`, documented in the Node.js CLI docs).
 */
function withShim(files: SubmissionFiles, config: ShimConfig): SubmissionFiles {
  const out = new Map(files);
  const pkg = JSON.parse(files.get('package.json')!.toString('utf8')) as { scripts: { start: string } };
  pkg.scripts.start = `export NODE_OPTIONS="--require ${APP_DIR}/${SHIM_FILE}"; ${pkg.scripts.start}`;
  out.set('package.json', Buffer.from(JSON.stringify(pkg, null, 2) + '\n'));
  out.set(SHIM_FILE, Buffer.from(`const STACKGRADE_MUTANT = ${JSON.stringify(config)};\n${SHIM_SOURCE}`));
  return out;
}

const CREATE_INDEX =
  /\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?\s+ON\b/gi;

/** Names of the indexes the solution creates in its source or .sql files, in order of appearance. */
export function createdIndexes(files: SubmissionFiles): string[] {
  const names = new Set<string>();
  for (const [file, buf] of files) {
    if (!isSourceFile(file) && !file.endsWith('.sql')) continue;
    for (const m of buf.toString('utf8').matchAll(CREATE_INDEX)) names.add(m[1]!.toLowerCase());
  }
  return [...names];
}

/**
 * The mutants injected at run time through node-postgres (see pg-mutant-shim.cjs): one `drop-index` per
 * index the solution creates, one `sql-concatenation` and one `per-row-query`. Empty when the solution
 * does not use node-postgres (the mutants do not apply).
 */
export function runtimeMutants(files: SubmissionFiles): Mutant[] {
  if (!usesNodePostgres(files)) return [];
  const make = (id: string, kind: MutantKind, description: string, config: ShimConfig): Mutant => ({
    id,
    kind,
    description,
    files: withShim(files, config),
  });
  return [
    ...createdIndexes(files).map((index) =>
      make(`drop-index:${index}`, 'drop-index', `The index ${index} is never created.`, {
        kind: 'drop-index',
        index,
      }),
    ),
    make(
      'sql-concatenation',
      'sql-concatenation',
      'Every statement is sent with its parameter values pasted into the SQL text, unescaped.',
      { kind: 'sql-concatenation' },
    ),
    make(
      'per-row-query',
      'per-row-query',
      'After every SELECT returning several rows, one more statement runs per row (N+1).',
      { kind: 'per-row-query' },
    ),
  ];
}
