import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SubmissionFiles } from '../archive';
import { CATEGORIES, categorySchema, type Category } from '../contract/categories';
import type { GradeReport } from '../contract/grade-result.schema';
import type { GradingEnvironment } from './grading-environment';
import { readSolutionDir } from './grade-submission';
import { readPatchedSolution } from './solution-patch';
import { REFERENCE_FOLDER } from './reference-for-runtime';
import { STARTER_FOLDER } from '../contract/runtime-starters';
import { AppError } from '../contract/app-error';

/** True for a solution judged as a reference: it must score 100 in every category. */
export function isReference(solutionName: string): boolean {
  return REFERENCE_FOLDER.test(solutionName);
}

/**
 * `wrong/<name>/expected.json`: the checks a known-bad solution must fail (and it must pass every other), and
 * optionally the only `categories` it may lose points in (a defect that costs points in another category is
 * a grading-validity fault), and `base`, the reference folder its `defect.patch` applies to (`reference`
 * when absent).
 */
export const expectedFailuresSchema = z.object({
  fails: z.array(z.string()).min(1),
  categories: z.array(categorySchema).min(1).optional(),
  defect: z.string(),
  base: z.string().regex(REFERENCE_FOLDER).default('reference'),
});

/**
 * The categories a report lost points in (a check not passed, whatever its status), in the order of
 * {@link CATEGORIES}. A `not_assessed` check counts under the category of the check that blocked it when the
 * report names one, since that is where the defect is.
 */
export function categoriesLost(report: GradeReport): Category[] {
  const lost = new Set<Category>();
  for (const t of report.tests) {
    if (t.status === 'pass') continue;
    lost.add(t.status === 'not_assessed' && t.blocked_by?.category ? t.blocked_by.category : t.category);
  }
  return CATEGORIES.filter((c) => lost.has(c));
}

/**
 * The cross-category table of `challenge validate`: one row per solution with its score per category (a
 * category it lost points in is marked `*`) and the categories lost; plain text for a terminal.
 */
export function formatCategoryTable(rows: readonly SolutionValidation[]): string {
  const cats = CATEGORIES.filter((c) => rows.some((r) => r.report.scores.categories[c] !== undefined));
  const short: Record<Category, string> = {
    correctness: 'correct',
    api_design: 'api',
    query_optimization: 'query',
    security: 'security',
    performance: 'perf',
  };
  const nameW = Math.max(8, ...rows.map((r) => r.solution.length));
  const head = `${'solution'.padEnd(nameW)}  ${cats.map((c) => short[c].padStart(8)).join(' ')}  lost points in`;
  const lines = [head, '-'.repeat(head.length)];
  for (const r of rows) {
    const lost = categoriesLost(r.report);
    const cells = cats.map((c) => {
      const s = r.report.scores.categories[c];
      return (s === undefined ? '—' : `${s.toFixed(1)}${lost.includes(c) ? '*' : ''}`).padStart(8);
    });
    lines.push(
      `${r.solution.padEnd(nameW)}  ${cells.join(' ')}  ${lost.length ? lost.join(', ') : 'none'}${r.ok ? '' : '  ✗'}`,
    );
  }
  return lines.join('\n');
}

/** The verdict of one solution of a challenge against what it is expected to get. */
export interface SolutionValidation {
  solution: string;
  ok: boolean;
  problems: string[];
  report: GradeReport;
}

/** True for a solution judged as a starter (`starter/`, `starter-<x>/`): it must stay at or below the cap. */
export function isStarter(solutionName: string): boolean {
  return STARTER_FOLDER.test(solutionName);
}

/**
 * Lists the solutions `challenge validate` grades: reference, starter, every other `reference-<x>/` and
 * `starter-<x>/` (by name), then every wrong/<name>.
 */
export async function solutionsOf(challengeDir: string): Promise<{ name: string; dir: string }[]> {
  const out = [
    { name: 'reference', dir: path.join(challengeDir, 'reference') },
    { name: 'starter', dir: path.join(challengeDir, 'starter') },
  ];
  const top = await fs.readdir(challengeDir, { withFileTypes: true });
  for (const e of top
    .filter(
      (x) =>
        x.isDirectory() &&
        x.name !== 'reference' &&
        x.name !== 'starter' &&
        (isReference(x.name) || isStarter(x.name)),
    )
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    out.push({ name: e.name, dir: path.join(challengeDir, e.name) });
  }
  const wrong = path.join(challengeDir, 'wrong');
  const entries = await fs.readdir(wrong, { withFileTypes: true }).catch(() => []);
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    out.push({ name: `wrong/${e.name}`, dir: path.join(wrong, e.name) });
  }
  return out;
}

/** The `expected.json` of a wrong solution, or null when the folder has none. */
async function readExpected(solutionDir: string): Promise<z.infer<typeof expectedFailuresSchema> | null> {
  const text = await fs
    .readFile(path.join(solutionDir, 'expected.json'), 'utf8')
    .catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
  return text === null ? null : expectedFailuresSchema.parse(JSON.parse(text));
}

/**
 * Reads a solution folder of a challenge: a complete folder, or a `defect.patch` over one of the
 * challenge's references (how `wrong/<name>/` are stored): `reference/`, or the folder named by `base` in
 * its `expected.json`.
 *
 * @throws AppError `CHALLENGE_INVALID` when the patch does not apply; archive errors as `readSolutionDir`;
 *   ZodError when expected.json is malformed.
 */
export async function readChallengeSolution(
  challengeDir: string,
  solutionDir: string,
): Promise<SubmissionFiles> {
  const patched = await readPatchedSolution(solutionDir, async () => {
    const base = (await readExpected(solutionDir))?.base ?? 'reference';
    return readSolutionDir(path.join(challengeDir, base));
  });
  return patched ?? readSolutionDir(solutionDir);
}

/**
 * Grades one solution of a challenge with the real runner and compares the verdict with what it must get:
 * every reference (`reference/`, `reference-<x>/`; performance measured against the reference written for
 * its own runtime) scores 100 in every category; every starter (`starter/`, `starter-<x>/`) stays at or below
 * `validate.starter_max_score`;
 * a wrong solution fails exactly the checks in its expected.json and, when it states `categories`, loses
 * points in no other category. Every report must name exactly the
 * manifest's checks.
 */
export async function validateSolution(
  env: GradingEnvironment,
  challengeId: string,
  solution: { name: string; dir: string },
): Promise<SolutionValidation> {
  const challenge = env.challenge(challengeId);
  const files = await readChallengeSolution(challenge.dir, solution.dir);
  const report = await env.grade(challengeId, { files, submissionId: crypto.randomUUID(), attempt: 1 });
  await env.settleRemovals();
  const problems: string[] = [];
  const ids = challenge.manifest.checks.map((c) => c.id);
  if (JSON.stringify(report.tests.map((t) => t.id)) !== JSON.stringify(ids))
    problems.push('report checks differ from the manifest');
  const failed = report.tests.filter((t) => t.status !== 'pass').map((t) => t.id);
  if (report.status === 'error') problems.push(`platform error: ${report.message}`);
  if (isReference(solution.name)) {
    if (failed.length) problems.push(`reference failed ${failed.join(', ')}`);
  } else if (isStarter(solution.name)) {
    if (report.scores.overall > challenge.manifest.validate.starter_max_score) {
      problems.push(
        `starter scored ${report.scores.overall} > ${challenge.manifest.validate.starter_max_score}`,
      );
    }
  } else {
    const expected = await readExpected(solution.dir);
    if (expected === null) throw new AppError('CHALLENGE_INVALID', `${solution.name} has no expected.json`);
    const unknown = expected.fails.filter((id) => !ids.includes(id));
    if (unknown.length) problems.push(`expected.json names unknown checks ${unknown.join(', ')}`);
    const missed = expected.fails.filter((id) => !failed.includes(id));
    const extra = failed.filter((id) => !expected.fails.includes(id));
    if (missed.length) problems.push(`should fail but passed: ${missed.join(', ')}`);
    if (extra.length) problems.push(`should pass but failed: ${extra.join(', ')}`);
    if (expected.categories) {
      const leaked = categoriesLost(report).filter((c) => !expected.categories!.includes(c));
      if (leaked.length)
        problems.push(
          `the defect leaked into ${leaked.join(', ')} (expected.json allows only ${expected.categories.join(', ')})`,
        );
    }
  }
  return { solution: solution.name, ok: problems.length === 0, problems, report };
}
