import { z } from 'zod';
import { categorySchema, visibilitySchema } from './categories';
import { runtimeIdSchema } from './runtime-selection';

/**
 * Why a run is not a plain pass/fail of checks (Judge0-style closed reason set). Candidate outcomes:
 * `setup_failed` (install failed, service never healthy), `crashed`, `time_limit`, `memory_limit`,
 * `output_limit`. Platform outcome: `internal_error` (status `error`).
 */
export const verdictReasonSchema = z.enum([
  'setup_failed',
  'crashed',
  'time_limit',
  'memory_limit',
  'output_limit',
  'internal_error',
]);
export type VerdictReason = z.infer<typeof verdictReasonSchema>;

/**
 * Status of one check. `not_assessed`: the check's set-up through the candidate's API could not be achieved
 * (for example no order could be created), so the property it judges was never observed. It scores like a
 * failure (its weight counts, nothing is earned: a service cannot gain points by breaking its set-up) but is
 * reported apart from failures, naming the check whose property broke the set-up (`blocked_by`), so a
 * reviewer does not read it as a defect of its own category.
 */
export const checkStatusSchema = z.enum(['pass', 'fail', 'error', 'not_assessed']);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

/**
 * What the grader container emits for one check (its last stdout line carries all of them). The
 * runner joins these with the manifest by `id` to add category, weight and visibility.
 */
export const graderCheckSchema = z.object({
  id: z.string(),
  status: checkStatusSchema,
  /** For `not_assessed`: id of the check that judges the property that broke the set-up. */
  blocked_by: z.string().optional(),
  /** Candidate-facing explanation of a failure; null on pass. */
  message: z.string().max(4000).nullable(),
  /** What decided the check: requests, plans, counter deltas. Owner-visible; shown to candidates at `full`. */
  evidence: z.unknown().optional(),
  /** Milliseconds spent in the check. */
  duration_ms: z.number().min(0),
});
export type GraderCheck = z.infer<typeof graderCheckSchema>;

/** The grader's whole output document. */
export const graderOutputSchema = z.object({
  version: z.literal(1),
  /** Set when the grader could not test at all (for example the service never answered). */
  setup_error: z.object({ reason: verdictReasonSchema, message: z.string() }).nullable(),
  checks: z.array(graderCheckSchema),
  /**
   * Set when a check lost its connection to the service and, after the checks, the service still refused
   * one: it most likely died (crash, OOM kill), and the runner waits for its container to stop before it
   * reads the exit (Docker may record it later than the grader sees it).
   */
  service_down: z.boolean().optional(),
});
export type GraderOutput = z.infer<typeof graderOutputSchema>;

/** One test in the report: Exercism results.json v3 fields plus Stackgrade's category, weight, evidence. */
export const reportTestSchema = z.object({
  name: z.string(),
  id: z.string(),
  status: checkStatusSchema,
  message: z.string().nullable(),
  /** For `not_assessed`: the check (and its category) whose property broke this check's set-up. */
  blocked_by: z.object({ id: z.string(), category: categorySchema.nullable() }).optional(),
  output: z.string().nullable(),
  task_id: z.number().int().nullable(),
  category: categorySchema,
  weight: z.number(),
  visibility: visibilitySchema,
  evidence: z.unknown().optional(),
  /**
   * Milliseconds the grader spent in the check (its `duration_ms`); absent for a check that did not run and
   * in reports made before it was recorded. Owner-only: the candidate's view drops it.
   */
  duration_ms: z.number().min(0).optional(),
});
export type ReportTest = z.infer<typeof reportTestSchema>;

/** Scores in percent (0–100), per category and overall. */
export const scoresSchema = z.object({
  overall: z.number().min(0).max(100),
  categories: z.partialRecord(categorySchema, z.number().min(0).max(100)),
});
export type Scores = z.infer<typeof scoresSchema>;

/** The runtime a solution ran on (runner/runtimes/) and that runtime's version in its image. */
export const solutionRuntimeSchema = z.object({
  id: runtimeIdSchema,
  /** As the runtime reports it: `22.23.3` (Node.js), `3.11.2` (Python), `go1.25.14` (Go). */
  version: z.string(),
});
export type SolutionRuntime = z.infer<typeof solutionRuntimeSchema>;

/**
 * The report of one grading run: a superset of Exercism's results.json v3 (`version`, `status`,
 * `message`, `tests[]`), with per-category scores, the verdict reason and how the sandbox ran.
 */
export const gradeReportSchema = z.object({
  version: z.literal(3),
  status: z.enum(['pass', 'fail', 'error']),
  message: z.string().nullable(),
  reason: verdictReasonSchema.nullable(),
  challenge: z.object({ id: z.string(), version: z.number() }),
  tests: z.array(reportTestSchema),
  scores: scoresSchema,
  /** The submission's runtime; null when it could not be chosen, absent in reports made before runtimes. */
  runtime: solutionRuntimeSchema.nullable().optional(),
  sandbox: z.object({
    /** OCI runtime of the candidate's container: gVisor (`runsc`) where registered, else hardened `runc`. */
    runtime: z.enum(['runsc', 'runc']),
    /** Milliseconds from pod creation to the grader's start, in the grader and overall. */
    timings_ms: z.record(z.string(), z.number()),
  }),
  /** Tail of the candidate service's stdout/stderr, bounded and escaped; never parsed. */
  service_log: z.string().nullable(),
  /**
   * `practice` for a practice run: only the manifest's practice checks, each shown in full, never scored
   * (`scores` is empty and 0). Absent on a graded run.
   */
  mode: z.literal('practice').optional(),
});
export type GradeReport = z.infer<typeof gradeReportSchema>;
