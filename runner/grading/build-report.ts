import { CATEGORIES, type Category } from '../contract/categories';
import type { ChallengeManifest } from '../contract/challenge-manifest.schema';
import type { GradeReport, GraderCheck, ReportTest, VerdictReason } from '../contract/grade-result.schema';
import type { SolutionRuntime } from '../contract/grade-result.schema';
import type { PodOutcome } from '../sandbox/pod-definition';

/** Rounds to one decimal. */
const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * Scores of a set of tests: per category 100 × passed weight / total weight (a `not_assessed` check earns
 * nothing, like a failure, but is reported apart: see grade-result.schema.ts checkStatusSchema); overall the manifest's
 * category-weighted mean of the category scores (categories of weight 0 do not count).
 */
export function computeScores(
  manifest: ChallengeManifest,
  tests: readonly ReportTest[],
): GradeReport['scores'] {
  const categories: Partial<Record<Category, number>> = {};
  let overall = 0;
  let weights = 0;
  for (const cat of CATEGORIES) {
    const ts = tests.filter((t) => t.category === cat);
    const total = ts.reduce((s, t) => s + t.weight, 0);
    if (total === 0) continue;
    const score = (100 * ts.filter((t) => t.status === 'pass').reduce((s, t) => s + t.weight, 0)) / total;
    categories[cat] = round1(score);
    const w = manifest.categories[cat] ?? 0;
    overall += w * score;
    weights += w;
  }
  return { overall: round1(weights ? overall / weights : 0), categories };
}

/** Inputs of {@link buildReport} besides the manifest. */
export interface ReportInputs {
  outcome: PodOutcome | null;
  /** Set when the run ended before the pod (dependency install or package.json problems). */
  setupFailure: string | null;
  runtime: 'runsc' | 'runc';
  /** The submission's runtime and its version, once chosen (null when that failed). */
  solutionRuntime?: SolutionRuntime | null;
  timingsMs: Record<string, number>;
  /** A practice run: the report lists only the practice checks, at visibility `full`, and is not scored. */
  practice?: boolean;
  /** A run of only these checks (a measurement): the report lists only them and is not scored. */
  onlyChecks?: readonly string[];
}

/**
 * Joins the grader's checks with the manifest (order, category, weight, visibility) into the report, and
 * decides status and reason: `time_limit` when the deadline cut the run, `memory_limit` when the service was
 * OOM-killed, `crashed` when it exited, `setup_failed` when it never started; checks that did not run fail
 * with a message saying why. Status `error` only for platform failures (grader gave nothing, or said so).
 * A practice run (`inp.practice`) reports only the manifest's practice checks, in full and unscored.
 */
export function buildReport(manifest: ChallengeManifest, inp: ReportInputs): GradeReport {
  const out = inp.outcome;
  const byId = new Map<string, GraderCheck>();
  for (const c of out?.output?.checks ?? out?.checks ?? []) byId.set(c.id, c);
  const setupError = out?.output?.setup_error ?? null;

  let reason: VerdictReason | null = null;
  let notRun = 'The check did not run.';
  if (inp.setupFailure) {
    reason = 'setup_failed';
    notRun = 'Not run: the service could not be set up.';
  } else if (setupError) {
    reason = setupError.reason;
    notRun = `Not run: ${setupError.message}`;
  } else if (out?.timedOut) {
    reason = 'time_limit';
    notRun = 'Not run: the grading time limit was reached.';
  } else if (out && !out.output) {
    reason = 'internal_error';
    notRun = 'Not run: the grader stopped early.';
  }
  if (out?.candidate.oomKilled) reason = 'memory_limit';
  else if (
    out?.candidate.started &&
    !out.candidate.running &&
    (reason === null || reason === 'internal_error')
  )
    reason = 'crashed';

  const categoryOf = new Map(manifest.checks.map((d) => [d.id, d.category]));
  const only = inp.onlyChecks;
  // The same selection the grader ran (grade-submission.ts): the given checks first, else a practice run's.
  const defs = only
    ? manifest.checks.filter((c) => only.includes(c.id))
    : inp.practice
      ? manifest.checks.filter((c) => c.practice)
      : manifest.checks;
  const tests: ReportTest[] = defs.map((def, i) => {
    const c = byId.get(def.id);
    const leaked = out?.logLeaks?.[def.id] ?? 0;
    const leakFails = leaked > 0 && c?.status === 'pass';
    const blocker = c?.status === 'not_assessed' ? c.blocked_by : undefined;
    return {
      name: def.title,
      id: def.id,
      status: leakFails ? 'fail' : c ? c.status : 'fail',
      message: leakFails
        ? `The service log holds ${leaked} secret value(s) the tests sent (such as passwords): never log them.`
        : c
          ? c.message
          : notRun,
      output: null,
      task_id: i + 1,
      category: def.category,
      weight: def.weight,
      visibility: inp.practice ? 'full' : def.visibility,
      evidence: leaked > 0 ? { ...(c?.evidence as object | undefined), log_leaks: leaked } : c?.evidence,
      ...(c ? { duration_ms: c.duration_ms } : {}),
      ...(blocker ? { blocked_by: { id: blocker, category: categoryOf.get(blocker) ?? null } } : {}),
    };
  });
  const platformError = reason === 'internal_error' || tests.some((t) => t.status === 'error');
  const status: GradeReport['status'] = platformError
    ? 'error'
    : tests.every((t) => t.status === 'pass')
      ? 'pass'
      : 'fail';
  const failed = tests.filter((t) => t.status !== 'pass' && t.status !== 'not_assessed').length;
  const unassessed = tests.filter((t) => t.status === 'not_assessed').length;
  const message =
    inp.setupFailure ??
    (setupError?.message ||
      (reason === 'time_limit'
        ? 'The grading time limit was reached.'
        : reason === 'memory_limit'
          ? 'The service was stopped for using more memory than allowed.'
          : reason === 'crashed'
            ? `The service exited during grading (exit code ${out?.candidate.exitCode ?? 'unknown'}).`
            : failed || unassessed
              ? [
                  failed ? `${failed} of ${tests.length} checks failed.` : '',
                  unassessed ? `${unassessed} could not be assessed.` : '',
                ]
                  .filter(Boolean)
                  .join(' ')
              : null));
  return {
    version: 3,
    status,
    message,
    reason,
    challenge: { id: manifest.id, version: manifest.version },
    tests,
    scores: inp.practice || only ? { overall: 0, categories: {} } : computeScores(manifest, tests),
    runtime: inp.solutionRuntime ?? null,
    sandbox: { runtime: inp.runtime, timings_ms: { ...inp.timingsMs, ...(out?.timingsMs ?? {}) } },
    service_log: out?.candidateLog || null,
    ...(inp.practice ? { mode: 'practice' as const } : {}),
  };
}
