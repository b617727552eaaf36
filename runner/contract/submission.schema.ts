import { z } from 'zod';
import { gradeReportSchema } from './grade-result.schema';
import { runtimeIdSchema } from './runtime-selection';

/** Lifecycle of a submission: `queued` → `running` → `completed` | `error` (platform failure after retries). */
export const submissionStatusSchema = z.enum(['queued', 'running', 'completed', 'error']);
export type SubmissionStatus = z.infer<typeof submissionStatusSchema>;

/**
 * The submission document in MongoDB (the source of truth; docs/architecture.md, "The store"). The archive
 * bytes live in the `archives` collection under the same `_id`.
 */
export const submissionDocumentSchema = z.object({
  _id: z.string().uuid(),
  challenge_id: z.string(),
  challenge_version: z.number().int(),
  status: submissionStatusSchema,
  /** Incremented each time a runner starts grading it; results are written with compare-and-set on it. */
  attempt: z.number().int().min(0),
  created_at: z.date(),
  updated_at: z.date(),
  /** Runner that holds the lease and until when (ms since epoch); the reconciler re-enqueues expired ones. */
  leased_by: z.string().nullable(),
  lease_until: z.date().nullable(),
  /**
   * Every lease taken, in order, one per attempt (entry n is attempt n + 1 of a document stored since the
   * field exists): which runner ran each attempt, e.g. the host an interrupted grading moved from.
   */
  lease_history: z.array(z.object({ worker: z.string(), leased_at: z.date() })).optional(),
  archive_sha256: z.string(),
  archive_bytes: z.number().int(),
  /**
   * The runtime chosen when it was submitted (named by the client or detected); absent in documents stored
   * before runtimes, whose runtime the runner detects.
   */
  runtime: runtimeIdSchema.optional(),
  report: gradeReportSchema.nullable(),
  /** `practice`: only the challenge's practice checks run, unscored (absent: a graded submission). */
  mode: z.literal('practice').optional(),
  /** Set with status `error`: why the platform failed to grade. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /**
   * Set for a submission made within an assessment: the organisation, assessment and invite it counts for
   * (absent for anonymous practice submissions).
   */
  assessment: z
    .object({ organisation: z.string(), assessment_id: z.string(), invite_id: z.string() })
    .optional(),
});
export type SubmissionDocument = z.infer<typeof submissionDocumentSchema>;

/** Job data of a grading job: ids only, since BullMQ stores job data in clear text. */
export const gradeJobSchema = z.object({ submissionId: z.string().uuid() });
export type GradeJob = z.infer<typeof gradeJobSchema>;
