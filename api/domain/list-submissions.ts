import { AppError } from '../../runner/contract/app-error';
import type { ChallengeCatalog } from '../../runner/contract/challenge-catalog';
import type { Category } from '../../runner/contract/categories';
import type { SubmissionStatus } from '../../runner/contract/submission.schema';
import type { SubmissionStore } from '../data-access/submission-store';
import { submissionPath } from './get-submission';
import type { Principal } from './verify-api-key';

/** Most rows {@link listSubmissions} returns. */
export const SUBMISSION_LIST_LIMIT = 500;

/** One row of the reviewer's results list. */
export interface SubmissionRow {
  id: string;
  challenge_id: string;
  status: SubmissionStatus;
  /** ISO 8601 instants. */
  created_at: string;
  updated_at: string;
  /** Percent, null until graded and for a practice run (unscored). */
  overall: number | null;
  categories: Partial<Record<Category, number>>;
  /** Checks that failed or errored (null until graded). */
  failed_checks: number | null;
  /** The assessment and invite a submission counts for; null for a practice submission. */
  assessment_id: string | null;
  invite_id: string | null;
  links: { self: string };
}

/**
 * The submissions of every challenge the principal's organisation owns (manifest `owner`) and of its
 * assessments, newest first, at most {@link SUBMISSION_LIST_LIMIT}; optionally of one challenge only.
 *
 * @throws AppError `UNAUTHENTICATED` (401) without an API key; `INSUFFICIENT_SCOPE` (403) without
 *   `results:read`; `CHALLENGE_NOT_FOUND` (404) for a `challengeId` of another organisation (not revealed);
 *   `STORE_UNAVAILABLE` (503).
 */
export async function listSubmissions(
  deps: { store: SubmissionStore; catalog: ChallengeCatalog },
  principal: Principal | undefined,
  challengeId?: string,
): Promise<SubmissionRow[]> {
  if (principal?.kind !== 'key')
    throw new AppError('UNAUTHENTICATED', "the results list needs an organisation's API key");
  if (!principal.scopes.includes('results:read'))
    throw new AppError('INSUFFICIENT_SCOPE', `API key ${principal.keyId} lacks the scope results:read`);
  const owned = deps.catalog
    .list()
    .map((s) => s.id)
    .filter((id) => deps.catalog.get(id)?.manifest.owner === principal.organisation);
  if (challengeId !== undefined) {
    const manifest = deps.catalog.get(challengeId)?.manifest;
    if (!manifest || (manifest.owner !== undefined && manifest.owner !== principal.organisation))
      throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${challengeId} does not exist`);
  }
  const docs = await deps.store.listSubmissions(
    {
      organisation: principal.organisation,
      challengeIds: owned,
      ...(challengeId !== undefined ? { challengeId } : {}),
    },
    SUBMISSION_LIST_LIMIT,
  );
  return docs.map((d) => ({
    id: d._id,
    challenge_id: d.challenge_id,
    status: d.status,
    created_at: new Date(d.created_at).toISOString(),
    updated_at: new Date(d.updated_at).toISOString(),
    // A practice run is not scored: no figures rather than zeros.
    overall: d.report && d.report.mode !== 'practice' ? d.report.scores.overall : null,
    categories: d.report && d.report.mode !== 'practice' ? d.report.scores.categories : {},
    failed_checks: d.report ? d.report.tests.filter((t) => t.status !== 'pass').length : null,
    assessment_id: d.assessment?.assessment_id ?? null,
    invite_id: d.assessment?.invite_id ?? null,
    links: { self: submissionPath(d._id) },
  }));
}
