import crypto from 'node:crypto';
import path from 'node:path';
import type { SubmissionFiles } from '../archive';
import type { Category } from '../contract/categories';
import type { GradeReport } from '../contract/grade-result.schema';
import type { GradingEnvironment } from '../grading/grading-environment';
import { readSolutionDir } from '../grading/grade-submission';
import { MUTANT_KINDS, type Mutant, type MutantKind } from './mutant';
import { runtimeMutants } from './runtime-mutants';
import { cacheExpiryMutants, mongoIndexMutants } from './nosql-mutants';
import { ownershipFilterMutants, validationMutants } from './source-mutants';
import { algorithmMutants } from './algorithm-mutants';
import { rateLimitMutants } from './rate-limit-mutants';
import { verificationMutants } from './verification-mutants';

/** Every built-in mutant of a reference, grouped in {@link MUTANT_KINDS} order. */
export function generateMutants(reference: SubmissionFiles): Mutant[] {
  const all = [
    ...runtimeMutants(reference),
    ...ownershipFilterMutants(reference),
    ...validationMutants(reference),
    ...mongoIndexMutants(reference),
    ...cacheExpiryMutants(reference),
    ...verificationMutants(reference),
    ...rateLimitMutants(reference),
    ...algorithmMutants(reference),
  ];
  return MUTANT_KINDS.flatMap((k) => all.filter((m) => m.kind === k));
}

/** The outcome of grading one mutant. */
export interface MutantResult {
  id: string;
  kind: MutantKind;
  description: string;
  /** `caught`: a check that passes on the reference failed; `survived`: none did; `error`: no verdict. */
  outcome: 'caught' | 'survived' | 'error';
  /** The checks that caught it, with their categories. */
  caughtBy: { id: string; category: Category }[];
  score: number;
  /** Platform error message when `outcome` is `error`. */
  error: string | null;
}

/** What `stackgrade challenge mutate` reports. */
export interface MutationReport {
  challenge: string;
  /** Checks that already fail on the unmutated reference (they cannot catch anything). */
  referenceFailures: string[];
  mutants: MutantResult[];
  /** Per mutant kind: how many mutants applied and how many were caught. */
  byKind: Record<MutantKind, { total: number; caught: number }>;
  /** Kinds asked for that found no site in the reference (not applicable: neither caught nor survived). */
  notApplicable: MutantKind[];
  /** Per check category: how many mutants a check of that category caught. */
  byCategory: Partial<Record<Category, number>>;
}

/** Options of {@link mutateChallenge}. */
export interface MutateOptions {
  /** Only these kinds (default: all). */
  kinds?: readonly MutantKind[];
  /** The unmutated reference's report when the caller already has one (saves one grading). */
  baseline?: GradeReport;
  /** Called after each graded mutant (progress output). */
  onResult?: (r: MutantResult, index: number, total: number) => void;
}

/**
 * Grades the challenge's reference, then each built-in mutant of it, with the real runner, and reports
 * which mutants the hidden tests caught (a mutation score for the challenge's author).
 *
 * @throws AppError when the environment cannot grade at all (the reference grading ends in `error`).
 */
export async function mutateChallenge(
  env: GradingEnvironment,
  challengeId: string,
  opts: MutateOptions = {},
): Promise<MutationReport> {
  const challenge = env.challenge(challengeId);
  const categoryOf = new Map(challenge.manifest.checks.map((c) => [c.id, c.category]));
  const grade = async (files: SubmissionFiles): Promise<GradeReport> => {
    const report = await env.grade(challengeId, { files, submissionId: crypto.randomUUID(), attempt: 1 });
    await env.settleRemovals(); // one pod at a time: the previous one is gone before the next starts
    return report;
  };

  const reference = await readSolutionDir(path.join(challenge.dir, 'reference'));
  const baseline = opts.baseline ?? (await grade(reference));
  if (baseline.status === 'error') throw new Error(`the reference could not be graded: ${baseline.message}`);
  const referenceFailures = baseline.tests.filter((t) => t.status !== 'pass').map((t) => t.id);

  const mutants = generateMutants(reference).filter((m) => !opts.kinds || opts.kinds.includes(m.kind));
  const results: MutantResult[] = [];
  for (const [i, m] of mutants.entries()) {
    const report = await grade(m.files);
    const failed = report.tests.filter((t) => t.status !== 'pass' && !referenceFailures.includes(t.id));
    const r: MutantResult = {
      id: m.id,
      kind: m.kind,
      description: m.description,
      outcome: report.status === 'error' ? 'error' : failed.length ? 'caught' : 'survived',
      caughtBy: failed.map((t) => ({ id: t.id, category: categoryOf.get(t.id)! })),
      score: report.scores.overall,
      error: report.status === 'error' ? (report.message ?? 'error') : null,
    };
    results.push(r);
    opts.onResult?.(r, i, mutants.length);
  }

  const byKind = Object.fromEntries(
    MUTANT_KINDS.map((k) => {
      const of = results.filter((r) => r.kind === k);
      return [k, { total: of.length, caught: of.filter((r) => r.outcome === 'caught').length }];
    }),
  ) as MutationReport['byKind'];
  const byCategory: MutationReport['byCategory'] = {};
  for (const r of results) {
    for (const c of new Set(r.caughtBy.map((x) => x.category))) byCategory[c] = (byCategory[c] ?? 0) + 1;
  }
  const notApplicable = MUTANT_KINDS.filter(
    (k) => (!opts.kinds || opts.kinds.includes(k)) && byKind[k].total === 0,
  );
  return { challenge: challengeId, referenceFailures, mutants: results, byKind, notApplicable, byCategory };
}
