import type { Logger } from '../lib/logger';
import type { SubmissionRepository } from './submission-repository';

/**
 * Age after which an archive with no submission document is an orphan, ms (15 min). The API stores the
 * archive and then, milliseconds later in the same request, the submission document
 * (api/domain/submit-solution.ts); only an API killed between the two (SIGKILL, OOM, host loss) leaves the
 * archive alone. The margin covers a slow store and clock skew between API and runner hosts.
 */
export const ORPHAN_ARCHIVE_GRACE_MS = 15 * 60_000;

/**
 * Least time between two orphan sweeps of one runner, ms (5 min). Each sweep runs two queries over the
 * whole `archives` collection (undated archives, unlinked archives), which FerretDB's SQLite backend
 * answers by reading every archive document; a third of the 15-minute grace keeps an orphan at most
 * ~20 minutes while the reconciler's 30-second passes stay cheap.
 */
export const ORPHAN_SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * A throttle for the reconciler: returns a function that answers true on its first call and then at most
 * once per `intervalMs` (each true answer starts a new interval), reading the time from `now` (ms).
 */
export function orphanSweepSchedule(
  intervalMs = ORPHAN_SWEEP_INTERVAL_MS,
  now: () => number = Date.now,
): () => boolean {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const t = now();
    if (t - last < intervalMs) return false;
    last = t;
    return true;
  };
}

/** What one sweep did: archives removed, and archives found to belong to a submission (not looked at again). */
export interface SweepResult {
  removed: string[];
  linked: number;
}

/**
 * Removes orphan archives: stored before `now - graceMs` and with no submission document of the same id.
 * Archives found to have their document are marked linked, so each is checked once; archives stored by an
 * API older than the `created_at` field get it stamped now and are judged a grace period later. At most
 * `limit` archives per call. Throws what the store throws.
 */
export async function sweepOrphanArchives(
  repo: SubmissionRepository,
  log: Logger,
  graceMs = ORPHAN_ARCHIVE_GRACE_MS,
  limit = 200,
): Promise<SweepResult> {
  await repo.stampUndatedArchives();
  const candidates = await repo.unlinkedArchiveIds(new Date(Date.now() - graceMs), limit);
  if (!candidates.length) return { removed: [], linked: 0 };
  const owned = new Set(await repo.existingSubmissionIds(candidates));
  await repo.markArchivesLinked([...owned]);
  const removed: string[] = [];
  for (const id of candidates.filter((c) => !owned.has(c))) {
    if (await repo.deleteOrphanArchive(id)) removed.push(id);
  }
  if (removed.length)
    log.warn({ removed }, 'removed archives without a submission (the API died between the two writes)');
  return { removed, linked: owned.size };
}
