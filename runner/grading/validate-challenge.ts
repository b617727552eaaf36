import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SubmissionFiles } from '../archive';
import type { GradeReport } from '../contract/grade-result.schema';
import type { GradingEnvironment } from './grading-environment';
import { readSolutionDir } from './grade-submission';
import { settleRemovals } from '../sandbox/pod';
import { readPatchedSolution } from './solution-patch';
import { AppError } from '../contract/app-error';

/** Folder names of a challenge's references: `reference/` and one per further language, `reference-<x>/`. */
const REFERENCE_NAME = /^reference(?:-[a-z0-9]+)?$/;

/**
 * `wrong/<name>/expected.json`: the checks a known-bad solution must fail (and it must pass every other),
 * and `base`, the reference folder its `defect.patch` applies to (`reference` when absent).
 */
export const expectedFailuresSchema = z.object({
  fails: z.array(z.string()).min(1),
  defect: z.string(),
  base: z.string().regex(REFERENCE_NAME).default('reference'),
});

/** True for a solution judged as a reference: it must score 100 in every category. */
export function isReference(solutionName: string): boolean {
  return REFERENCE_NAME.test(solutionName);
}

/** The verdict of one solution of a challenge against what it is expected to get. */
export interface SolutionValidation {
  solution: string;
  ok: boolean;
  problems: string[];
  report: GradeReport;
}

/**
 * Lists the solutions `challenge validate` grades: reference, starter, every other `reference-<x>/` (by
 * name), then every wrong/<name>.
 */
export async function solutionsOf(challengeDir: string): Promise<{ name: string; dir: string }[]> {
  const out = [
    { name: 'reference', dir: path.join(challengeDir, 'reference') },
    { name: 'starter', dir: path.join(challengeDir, 'starter') },
  ];
  const top = await fs.readdir(challengeDir, { withFileTypes: true });
  for (const e of top
    .filter((x) => x.isDirectory() && x.name !== 'reference' && isReference(x.name))
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
 * every reference (`reference/`, `reference-<x>/`, performance measured against `reference/`) scores 100 in
 * every category; the starter stays at or below `validate.starter_max_score`;
 * a wrong solution fails exactly the checks in its expected.json. Every report must name exactly the
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
  await settleRemovals();
  const problems: string[] = [];
  const ids = challenge.manifest.checks.map((c) => c.id);
  if (JSON.stringify(report.tests.map((t) => t.id)) !== JSON.stringify(ids))
    problems.push('report checks differ from the manifest');
  const failed = report.tests.filter((t) => t.status !== 'pass').map((t) => t.id);
  if (report.status === 'error') problems.push(`platform error: ${report.message}`);
  if (isReference(solution.name)) {
    if (failed.length) problems.push(`reference failed ${failed.join(', ')}`);
  } else if (solution.name === 'starter') {
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
  }
  return { solution: solution.name, ok: problems.length === 0, problems, report };
}
