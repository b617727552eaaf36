import { AppError } from '../../runner/contract/app-error';
import type { ChallengeCatalog } from '../../runner/contract/challenge-catalog';
import { redactReportForCandidate } from '../../runner/contract/redact-report';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import type { SubmissionStore } from '../data-access/submission-store';
import {
  submissionIdSchema,
  type SubmissionAccepted,
  type SubmissionView,
  type SubmissionViewKind,
} from '../schemas/submission.schema';
import type { Principal } from './verify-api-key';

/** Path of a submission resource. */
export function submissionPath(id: string): string {
  return `/v1/submissions/${encodeURIComponent(id)}`;
}

/** What {@link getSubmission} reads with. */
export interface GetSubmissionDeps {
  store: SubmissionStore;
  /** Resolves a submission's challenge to its manifest `owner`. */
  catalog: ChallengeCatalog;
}

/**
 * Reads one submission in the asked view. The candidate view needs no credentials (the id is an unguessable
 * UUID v4, 122 random bits). The owner view needs an API key of the challenge manifest's `owner` (OWASP API
 * Security Top 10 2023 API1, object-level authorization, checked per object).
 *
 * @throws AppError `UNAUTHENTICATED` (401) for `view=owner` without an API key; `SUBMISSION_NOT_FOUND`
 *   (404) for an unknown id or one that is not a UUID; `FORBIDDEN` (403) for `view=owner` with a key of
 *   another owner (or a challenge without one); `STORE_UNAVAILABLE` (503) from the store.
 */
export async function getSubmission(
  deps: GetSubmissionDeps,
  id: string,
  view: SubmissionViewKind = 'candidate',
  principal?: Principal,
): Promise<SubmissionView> {
  if (view === 'owner' && !principal) {
    throw new AppError('UNAUTHENTICATED', "the owner view needs the challenge owner's API key");
  }
  const notFound = (): AppError => new AppError('SUBMISSION_NOT_FOUND', `submission ${id} does not exist`);
  if (!submissionIdSchema.safeParse(id).success) throw notFound();
  const doc = await deps.store.findSubmission(id);
  if (!doc) throw notFound();
  if (view === 'owner') {
    const owner = deps.catalog.get(doc.challenge_id)?.manifest.owner;
    if (owner === undefined || owner !== principal?.owner) {
      throw new AppError(
        'FORBIDDEN',
        `API key ${principal?.keyId ?? ''} does not belong to the owner of challenge ${doc.challenge_id}`,
      );
    }
  }
  return toSubmissionView(doc, view);
}

/**
 * A submission document as the API shows it: dates as ISO 8601, lease fields left out; in the `candidate`
 * view the report is redacted per check visibility ({@link redactReportForCandidate}), in the `owner` view
 * it is the stored report with all evidence.
 */
export function toSubmissionView(
  doc: SubmissionDocument,
  view: SubmissionViewKind = 'candidate',
): SubmissionView {
  const report = doc.report ? (view === 'owner' ? doc.report : redactReportForCandidate(doc.report)) : null;
  return {
    id: doc._id,
    view,
    challenge_id: doc.challenge_id,
    challenge_version: doc.challenge_version,
    status: doc.status,
    attempt: doc.attempt,
    created_at: new Date(doc.created_at).toISOString(),
    updated_at: new Date(doc.updated_at).toISOString(),
    report,
    error: doc.error ?? null,
  };
}

/** The `202 Accepted` body of a new submission. */
export function toSubmissionAccepted(doc: SubmissionDocument): SubmissionAccepted {
  return {
    id: doc._id,
    status: doc.status,
    challenge_id: doc.challenge_id,
    ...(doc.mode === 'practice' ? { mode: 'practice' as const } : {}),
    created_at: new Date(doc.created_at).toISOString(),
    links: { self: submissionPath(doc._id) },
  };
}
