import { z } from 'zod';
import { scoresSchema } from '../../runner/contract/grade-result.schema';
import { submissionStatusSchema } from '../../runner/contract/submission.schema';

/** Feedback tier of an assessment; see `FeedbackTier` in api/data-access/assessment-store.ts. */
export const feedbackTierSchema = z.enum(['none', 'scores', 'checks']);

/** An assessment or invite id: a UUID the API assigned. */
export const resourceIdSchema = z.uuid();

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Body of `POST /v1/assessments`. Instants are ISO 8601 with an offset (RFC 3339). */
export const assessmentCreateSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    challenge_ids: z.array(z.string().min(1).max(100)).min(1).max(20),
    /** Time a candidate has once started, ms: 1 minute to 30 days. */
    time_limit_ms: z
      .number()
      .int()
      .min(MINUTE_MS)
      .max(30 * DAY_MS),
    opens_at: z.iso.datetime({ offset: true }).nullable().default(null),
    closes_at: z.iso.datetime({ offset: true }).nullable().default(null),
    /** Submissions allowed per challenge and candidate. */
    max_attempts: z.number().int().min(1).max(100).default(3),
    feedback: feedbackTierSchema.default('scores'),
    /** Lifetime of each invite token from its creation, ms: 1 minute to 90 days (default 14 days). */
    invite_ttl_ms: z
      .number()
      .int()
      .min(MINUTE_MS)
      .max(90 * DAY_MS)
      .default(14 * DAY_MS),
  })
  .refine((a) => !a.opens_at || !a.closes_at || Date.parse(a.opens_at) < Date.parse(a.closes_at), {
    message: 'closes_at must be after opens_at',
    path: ['closes_at'],
  });
export type AssessmentCreate = z.infer<typeof assessmentCreateSchema>;

/** An assessment as the API shows it. */
export const assessmentViewSchema = z
  .object({
    id: z.string(),
    organisation: z.string(),
    title: z.string(),
    challenge_ids: z.array(z.string()),
    time_limit_ms: z.number().int(),
    opens_at: z.string().nullable(),
    closes_at: z.string().nullable(),
    max_attempts: z.number().int(),
    feedback: feedbackTierSchema,
    invite_ttl_ms: z.number().int(),
    created_at: z.string(),
    links: z.object({ self: z.string(), invites: z.string(), results: z.string(), results_csv: z.string() }),
  })
  .meta({ id: 'Assessment' });
export type AssessmentView = z.infer<typeof assessmentViewSchema>;

/** Body of `GET /v1/assessments`. */
export const assessmentListViewSchema = z.object({ data: z.array(assessmentViewSchema) });

/** Body of `POST /v1/assessments/:id/invites`: the candidates to invite. */
export const inviteCreateSchema = z.strictObject({
  candidates: z
    .array(z.strictObject({ email: z.email().max(254), name: z.string().trim().min(1).max(200).optional() }))
    .min(1)
    .max(500),
});
export type InviteCreate = z.infer<typeof inviteCreateSchema>;

/** An invite as listed to its organisation (never with its token). */
export const inviteViewSchema = z
  .object({
    id: z.string(),
    assessment_id: z.string(),
    candidate: z.object({ email: z.string(), name: z.string().nullable() }),
    status: z.enum(['pending', 'started', 'completed', 'expired']),
    created_at: z.string(),
    expires_at: z.string(),
    started_at: z.string().nullable(),
    deadline: z.string().nullable(),
    completed_at: z.string().nullable(),
  })
  .meta({ id: 'Invite' });
export type InviteView = z.infer<typeof inviteViewSchema>;

/** A just-created invite: the only response that carries its token and link. */
export const inviteCreatedSchema = inviteViewSchema.extend({
  /** `sgi_…`: single use, expires at `expires_at`; stored only hashed. */
  token: z.string(),
  /** Where the candidate goes: the invite link to send them. */
  link: z.string(),
});
export type InviteCreated = z.infer<typeof inviteCreatedSchema>;

/** Body of `201` from `POST /v1/assessments/:id/invites` and of `GET /v1/assessments/:id/invites`. */
export const inviteCreatedListSchema = z.object({ data: z.array(inviteCreatedSchema) });
export const inviteListViewSchema = z.object({ data: z.array(inviteViewSchema) });

/** What an invite token shows before it is used (`GET /v1/invites/:token`). */
export const invitePreviewSchema = z.object({
  assessment: z.object({
    title: z.string(),
    organisation: z.string(),
    challenge_ids: z.array(z.string()),
    time_limit_ms: z.number().int(),
    max_attempts: z.number().int(),
    opens_at: z.string().nullable(),
    closes_at: z.string().nullable(),
  }),
  candidate: z.object({ email: z.string(), name: z.string().nullable() }),
  status: z.enum(['pending', 'started', 'completed', 'expired']),
  expires_at: z.string(),
});
export type InvitePreview = z.infer<typeof invitePreviewSchema>;

/** A candidate's session: the assessment in progress (`GET /v1/session`, and `201` of starting an invite). */
export const sessionViewSchema = z
  .object({
    invite_id: z.string(),
    assessment_id: z.string(),
    title: z.string(),
    status: z.enum(['pending', 'started', 'completed', 'expired']),
    started_at: z.string().nullable(),
    deadline: z.string().nullable(),
    feedback: feedbackTierSchema,
    challenges: z.array(
      z.object({
        id: z.string(),
        attempts_used: z.number().int(),
        attempts_allowed: z.number().int(),
        links: z.object({ challenge: z.string(), starter: z.string() }),
      }),
    ),
    submissions: z.array(
      z.object({ id: z.string(), challenge_id: z.string(), status: submissionStatusSchema }),
    ),
  })
  .meta({ id: 'Session' });
export type SessionView = z.infer<typeof sessionViewSchema>;

/** Body of `201` from `POST /v1/invites/:token/start`: the session and its bearer token (shown once). */
export const sessionStartedSchema = sessionViewSchema.extend({ session_token: z.string() });
export type SessionStarted = z.infer<typeof sessionStartedSchema>;

/** One candidate's result on one challenge: the latest graded submission's scores. */
export const challengeResultSchema = z.object({
  challenge_id: z.string(),
  attempts: z.number().int(),
  submission_id: z.string().nullable(),
  /** Verdict of the latest graded submission; null before any. */
  verdict: z.enum(['pass', 'fail', 'error']).nullable(),
  scores: scoresSchema.nullable(),
});

/** One candidate's row of `GET /v1/assessments/:id/results`. */
export const candidateResultSchema = z
  .object({
    invite_id: z.string(),
    candidate: z.object({ email: z.string(), name: z.string().nullable() }),
    status: z.enum(['pending', 'started', 'completed', 'expired']),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    /** From start to completion (or to now while started, capped at the deadline), ms; null before start. */
    time_used_ms: z.number().int().nullable(),
    challenges: z.array(challengeResultSchema),
    submissions: z.array(
      z.object({
        id: z.string(),
        challenge_id: z.string(),
        status: submissionStatusSchema,
        created_at: z.string(),
        overall: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'CandidateResult' });
export type CandidateResult = z.infer<typeof candidateResultSchema>;

/** Body of `GET /v1/assessments/:id/results`. */
export const resultListViewSchema = z.object({ data: z.array(candidateResultSchema) });

/** Body of `PUT /v1/challenges/:id/settings`. */
export const challengeSettingsSchema = z.strictObject({
  /** Accept open submissions: those outside any assessment (default true). */
  open_submissions: z.boolean(),
});
