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
  /** Percent, null until graded. */
  overall: number | null;
  categories: Partial<Record<Category, number>>;
  /** Checks that failed or errored (null until graded). */
  failed_checks: number | null;
  links: { self: string };
}

/**
 * The submissions of every challenge the principal's organisation owns (manifest `owner`), newest first, at
 * most {@link SUBMISSION_LIST_LIMIT}; optionally of one challenge only.
 *
 * @throws AppError `UNAUTHENTICATED` (401) without a principal; `CHALLENGE_NOT_FOUND` (404) for a
 *   `challengeId` the organisation does not own (another owner's challenge is not revealed);
 *   `STORE_UNAVAILABLE` (503).
 */
export async function listSubmissions(
  deps: { store: SubmissionStore; catalog: ChallengeCatalog },
  principal: Principal | undefined,
  challengeId?: string,
): Promise<SubmissionRow[]> {
  if (!principal) throw new AppError('UNAUTHENTICATED', "the results list needs an organisation's API key");
  const owned = deps.catalog
    .list()
    .map((s) => s.id)
    .filter((id) => deps.catalog.get(id)?.manifest.owner === principal.owner);
  let ids = owned;
  if (challengeId !== undefined) {
    if (!owned.includes(challengeId))
      throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${challengeId} does not exist`);
    ids = [challengeId];
  }
  if (ids.length === 0) return [];
  const docs = await deps.store.listSubmissions(ids, SUBMISSION_LIST_LIMIT);
  return docs.map((d) => ({
    id: d._id,
    challenge_id: d.challenge_id,
    status: d.status,
    created_at: new Date(d.created_at).toISOString(),
    updated_at: new Date(d.updated_at).toISOString(),
    overall: d.report?.scores.overall ?? null,
    categories: d.report?.scores.categories ?? {},
    failed_checks: d.report ? d.report.tests.filter((t) => t.status !== 'pass').length : null,
    links: { self: submissionPath(d._id) },
  }));
}
