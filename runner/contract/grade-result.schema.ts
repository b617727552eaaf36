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
  /**
   * Values (e.g. passwords the check sent) that must not appear in the candidate's service log: the grader
   * cannot read that log, so the runner looks for them after the run and fails the check when one is there
   * (runner/grading/log-leaks.ts). Never copied into the report.
   */
  log_must_not_contain: z.array(z.string().min(4).max(512)).max(5000).optional(),
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

/** One container of the pod that graded: its role, the image tag it was started from and that image's id. */
export const provenanceContainerSchema = z.object({
  /** `network-owner`, `grader`, `candidate`, `reference`, or `service:<name>` (a database of the manifest). */
  role: z.string(),
  /** The image reference the container was created from (Stackgrade tags are content hashes). */
  image: z.string(),
  /** The image's id as Docker reports it (`sha256:<hex>`, the digest of its config); null when unknown. */
  image_id: z.string().nullable(),
});
export type ProvenanceContainer = z.infer<typeof provenanceContainerSchema>;

/**
 * Which runner made a report, on which host and Docker engine (docs/scaling.md, "Several runner hosts"):
 * where an operator looks when one host misbehaves. Owner view only (the candidate's view leaves it out).
 */
export const provenanceRunnerSchema = z.object({
  /** The runner's `WORKER_ID` (its identity in leases and container labels). */
  worker_id: z.string(),
  /** The runner host's name (`os.hostname()`). */
  hostname: z.string(),
  /** The Docker engine's `ID` (`GET /info`): unique per engine data root, so two engines on one host differ. */
  engine_id: z.string(),
});
export type ProvenanceRunner = z.infer<typeof provenanceRunnerSchema>;

/**
 * What made a report (docs/reports.md, "Provenance"): everything needed to grade the same solution
 * again identically, recorded by the runner at grading time.
 */
export const reportProvenanceSchema = z.object({
  /** `version` of Stackgrade's package.json. */
  stackgrade_version: z.string(),
  /** Node.js version of the runner process (`process.version`). */
  node_version: z.string(),
  /** When the report was made (ISO 8601, UTC). */
  graded_at: z.string(),
  /** Seed of the grader's randomized inputs (`GRADER_SEED`); null when no pod ran (setup failure). */
  grader_seed: z.number().int().nullable(),
  /** SHA-256 (hex) of the graded files: of the lines `<path>\0<sha256 hex of the file>\n`, sorted by path. */
  solution_sha256: z.string(),
  challenge: z.object({
    id: z.string(),
    version: z.number(),
    /** SHA-256 (hex) of the challenge's `hidden-tests/` folder: see runner/grading/provenance.ts. */
    hidden_tests_sha256: z.string(),
    /** SHA-256 (hex) of its `challenge.yaml` (weights, limits, visibility). */
    manifest_sha256: z.string(),
  }),
  /** Every container of the pod; empty when no pod ran. */
  containers: z.array(provenanceContainerSchema),
  /** Version of every candidate runtime of this installation (`22.23.3`, `3.11.2`, `go1.25.14`). */
  runtime_versions: z.record(z.string(), z.string()),
  /** The runner that graded it; absent in reports made before it was recorded. */
  runner: provenanceRunnerSchema.optional(),
});
export type ReportProvenance = z.infer<typeof reportProvenanceSchema>;

/**
 * An Ed25519 signature (RFC 8032) of the report without its `signature` member, over its canonical JSON
 * form (RFC 8785 JCS, UTF-8). See runner/signing/report-signature.ts.
 */
export const reportSignatureSchema = z.object({
  algorithm: z.literal('Ed25519'),
  canonicalization: z.literal('RFC8785'),
  /** `SHA256:` + base64url of the SHA-256 of the public key's SPKI DER encoding. */
  key_id: z.string(),
  /** The 64-byte signature, base64url without padding. */
  value: z.string(),
});
export type ReportSignature = z.infer<typeof reportSignatureSchema>;

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
  /** What made the report; absent in reports made before it was recorded. */
  provenance: reportProvenanceSchema.optional(),
  /** The installation's signature of the report; absent in unsigned (older or candidate-view) reports. */
  signature: reportSignatureSchema.optional(),
});
export type GradeReport = z.infer<typeof gradeReportSchema>;
