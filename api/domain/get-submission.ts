import { AppError } from '../../runner/contract/app-error';
import { redactReportForCandidate } from '../../runner/contract/redact-report';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import type { SubmissionStore } from '../data-access/submission-store';
import {
  submissionIdSchema,
  type SubmissionAccepted,
  type SubmissionView,
} from '../schemas/submission.schema';

/** Path of a submission resource. */
export function submissionPath(id: string): string {
  return `/v1/submissions/${encodeURIComponent(id)}`;
}

/**
 * Reads one submission.
 *
 * @throws AppError `SUBMISSION_NOT_FOUND` (404) for an unknown id or one that is not a UUID;
 *   `STORE_UNAVAILABLE` (503) from the store.
 */
export async function getSubmission(store: SubmissionStore, id: string): Promise<SubmissionView> {
  const notFound = (): AppError => new AppError('SUBMISSION_NOT_FOUND', `submission ${id} does not exist`);
  if (!submissionIdSchema.safeParse(id).success) throw notFound();
  const doc = await store.findSubmission(id);
  if (!doc) throw notFound();
  return toSubmissionView(doc);
}

/**
 * The public (candidate's) view of a submission document: dates as ISO 8601, lease fields left out, the report
 * redacted per check visibility ({@link redactReportForCandidate}); the stored report keeps all evidence.
 */
export function toSubmissionView(doc: SubmissionDocument): SubmissionView {
  return {
    id: doc._id,
    challenge_id: doc.challenge_id,
    challenge_version: doc.challenge_version,
    status: doc.status,
    attempt: doc.attempt,
    created_at: new Date(doc.created_at).toISOString(),
    updated_at: new Date(doc.updated_at).toISOString(),
    report: doc.report ? redactReportForCandidate(doc.report) : null,
    error: doc.error ?? null,
  };
}

/** The `202 Accepted` body of a new submission. */
export function toSubmissionAccepted(doc: SubmissionDocument): SubmissionAccepted {
  return {
    id: doc._id,
    status: doc.status,
    challenge_id: doc.challenge_id,
    created_at: new Date(doc.created_at).toISOString(),
    links: { self: submissionPath(doc._id) },
  };
}
