import { AppError } from '../../runner/contract/app-error';
import type { ChallengeCatalog } from '../../runner/contract/challenge-catalog';
import { redactReportForCandidate } from '../../runner/contract/redact-report';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import type { AssessmentStore, FeedbackTier } from '../data-access/assessment-store';
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
  /** The feedback tier of an assessment submission's candidate view. */
  assessmentStore: AssessmentStore;
}

/**
 * Reads one submission in the asked view. The candidate view needs no credentials (the id is an unguessable
 * UUID v4, 122 random bits); for a submission made in an assessment it shows what the assessment's feedback
 * tier allows. The owner view needs an API key with `results:read` of the organisation that owns the
 * challenge or the assessment; for any other organisation the submission does not exist (404, OWASP API
 * Security Top 10 2023 API1, object-level authorization checked per object).
 *
 * @throws AppError `UNAUTHENTICATED` (401) for `view=owner` without an API key; `INSUFFICIENT_SCOPE` (403)
 *   for a key without `results:read`; `SUBMISSION_NOT_FOUND` (404) for an unknown id, one that is not a
 *   UUID, or another organisation's in the owner view; `STORE_UNAVAILABLE` (503) from the store.
 */
export async function getSubmission(
  deps: GetSubmissionDeps,
  id: string,
  view: SubmissionViewKind = 'candidate',
  principal?: Principal,
): Promise<SubmissionView> {
  if (view === 'owner') {
    if (principal?.kind !== 'key') {
      throw new AppError(
        'UNAUTHENTICATED',
        "the owner view needs an API key of the challenge's organisation",
      );
    }
    if (!principal.scopes.includes('results:read')) {
      throw new AppError('INSUFFICIENT_SCOPE', `API key ${principal.keyId} lacks the scope results:read`);
    }
  }
  const notFound = (): AppError => new AppError('SUBMISSION_NOT_FOUND', `submission ${id} does not exist`);
  if (!submissionIdSchema.safeParse(id).success) throw notFound();
  const doc = await deps.store.findSubmission(id);
  if (!doc) throw notFound();
  if (view === 'owner') {
    if (principal?.kind !== 'key' || !ownedBy(deps, doc, principal.organisation)) throw notFound();
    return toSubmissionView(doc, view);
  }
  if (doc.assessment) {
    const assessment = await deps.assessmentStore.findById(doc.assessment.assessment_id);
    return toSubmissionView(doc, view, assessment?.feedback ?? 'none');
  }
  return toSubmissionView(doc, view);
}

/** True when `organisation` owns the submission's challenge or the assessment it was made in. */
export function ownedBy(
  deps: Pick<GetSubmissionDeps, 'catalog'>,
  doc: SubmissionDocument,
  organisation: string,
): boolean {
  const owner = deps.catalog.get(doc.challenge_id)?.manifest.owner;
  return owner === organisation || doc.assessment?.organisation === organisation;
}

/**
 * A submission document as the API shows it: dates as ISO 8601, lease fields left out; in the `candidate`
 * view the report is redacted per check visibility ({@link redactReportForCandidate}), in the `owner` view
 * it is the stored report with all evidence. With a `feedback` tier (an assessment submission's candidate
 * view) `none` shows no report, `scores` only `scores`, `checks` the scores and the redacted report.
 */
export function toSubmissionView(
  doc: SubmissionDocument,
  view: SubmissionViewKind = 'candidate',
  feedback?: FeedbackTier,
): SubmissionView {
  let report = doc.report ? (view === 'owner' ? doc.report : redactReportForCandidate(doc.report)) : null;
  const tiered = view === 'candidate' && feedback !== undefined;
  const scores = tiered && feedback !== 'none' ? (doc.report?.scores ?? null) : undefined;
  if (tiered && feedback !== 'checks') report = null;
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
    ...(tiered ? { feedback, ...(scores !== undefined ? { scores } : {}) } : {}),
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
