import { z } from 'zod';
import { submissionStatusSchema } from '../../runner/contract/submission.schema';
import { gradeReportSchema, scoresSchema } from '../../runner/contract/grade-result.schema';
import { runtimeIdSchema } from '../../runner/contract/runtime-selection';

/** A challenge id as sent by a client; whether it exists is checked against the catalog (404). */
export const challengeIdSchema = z.string().min(1).max(100);

/**
 * `graded` (default) or `practice`: only the challenge's `practice: true` checks run, shown in full and
 * never scored; practice submissions are rate-limited per client and challenge.
 */
export const submissionModeSchema = z.enum(['graded', 'practice']);
export type SubmissionMode = z.infer<typeof submissionModeSchema>;

/** Archive formats a client may upload; the API stores every submission as tar.gz (a zip is packed). */
export const uploadFormatSchema = z.enum(['tar.gz', 'zip']);
export type UploadFormat = z.infer<typeof uploadFormatSchema>;

/** Standard base64 (RFC 4648 §4); line breaks and other whitespace are ignored. */
const base64Schema = z
  .string()
  .min(1)
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.base64('must be standard base64 (RFC 4648 §4)'));

/**
 * The JSON form of `POST /v1/submissions`: a challenge id and exactly one of `files` (path → UTF-8 text)
 * or `archive` (`{ format, base64 }`). Unknown keys are rejected. Paths are checked later by the
 * archive reader (no `..`, no absolute paths).
 */
export const submissionCreateSchema = z
  .strictObject({
    challenge_id: challengeIdSchema,
    files: z
      .record(z.string().min(1).max(1024), z.string())
      .refine((f) => Object.keys(f).length > 0, 'must hold at least one file')
      .optional(),
    archive: z.strictObject({ format: uploadFormatSchema, base64: base64Schema }).optional(),
    /** The submission's runtime (`node22`, `python3`, `go`); detected from its marker files when absent. */
    runtime: runtimeIdSchema.optional(),
    mode: submissionModeSchema.optional(),
  })
  .superRefine((body, ctx) => {
    const given = (body.files ? 1 : 0) + (body.archive ? 1 : 0);
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: given === 0 ? 'one of files or archive is required' : 'give files or archive, not both',
      });
    }
  });
export type SubmissionCreate = z.infer<typeof submissionCreateSchema>;

/**
 * Query of the raw-archive form of `POST /v1/submissions`: `?challenge_id=` and optionally `&runtime=` and
 * `&mode=` (as in the JSON form); other parameters are ignored.
 */
export const rawUploadQuerySchema = z.object({
  challenge_id: challengeIdSchema,
  runtime: runtimeIdSchema.optional(),
  mode: submissionModeSchema.optional(),
});
export type RawUploadQuery = z.infer<typeof rawUploadQuerySchema>;

/** Request media types of `POST /v1/submissions` and the upload format each one means. */
export const UPLOAD_MEDIA_TYPES: Readonly<Record<string, UploadFormat | 'json'>> = {
  'application/json': 'json',
  'application/gzip': 'tar.gz',
  'application/x-gzip': 'tar.gz',
  'application/x-tar+gzip': 'tar.gz',
  'application/zip': 'zip',
};

/** A submission id: the UUID the API assigned. Anything else cannot exist. */
export const submissionIdSchema = z.uuid();

/**
 * Who a submission is shown to: `candidate` (default; the report redacted per check visibility) or `owner`
 * (the full report with every check's evidence; needs an API key of the challenge's owner).
 */
export const submissionViewKindSchema = z.enum(['candidate', 'owner']);
export type SubmissionViewKind = z.infer<typeof submissionViewKindSchema>;

/** Query of `GET /v1/submissions/:id`: `?view=candidate|owner`; other parameters are ignored. */
export const submissionGetQuerySchema = z.object({ view: submissionViewKindSchema.default('candidate') });

/** Query of `GET /v1/submissions` (the results list): `?challenge_id=` narrows it to one challenge. */
export const submissionListQuerySchema = z.object({ challenge_id: z.string().min(1).max(100).optional() });

/** Body of `202 Accepted` from `POST /v1/submissions`. */
export const submissionAcceptedSchema = z.object({
  id: z.string(),
  status: submissionStatusSchema,
  challenge_id: z.string(),
  /** Present on a practice submission. */
  mode: z.literal('practice').optional(),
  /** ISO 8601 instant. */
  created_at: z.string(),
  links: z.object({ self: z.string() }),
});
export type SubmissionAccepted = z.infer<typeof submissionAcceptedSchema>;

/** Body of `GET /v1/submissions/:id`; `report` as stored by the runner (null until graded). */
export const submissionViewSchema = z.object({
  id: z.string(),
  /** Which view this is: `owner` only for a request with the owner's API key and `?view=owner`. */
  view: submissionViewKindSchema,
  challenge_id: z.string(),
  challenge_version: z.number().int(),
  status: submissionStatusSchema,
  attempt: z.number().int(),
  /** ISO 8601 instants. */
  created_at: z.string(),
  updated_at: z.string(),
  report: gradeReportSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Candidate view of an assessment submission: the assessment's feedback tier that shaped it. */
  feedback: z.enum(['none', 'scores', 'checks']).optional(),
  /** Candidate view of an assessment submission at tier `scores` or `checks`: null until graded. */
  scores: scoresSchema.nullable().optional(),
});
export type SubmissionView = z.infer<typeof submissionViewSchema>;
