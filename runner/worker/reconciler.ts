import type { Queue } from 'bullmq';
import { GRADE_JOB_OPTIONS, gradeJobId } from '../contract/queue-names';
import type { Logger } from '../lib/logger';
import { ORPHAN_ARCHIVE_GRACE_MS, sweepOrphanArchives } from './archive-sweeper';
import type { LeaderLease } from './leader-lease';
import type { SubmissionRepository } from './submission-repository';

/**
 * Attempts (leases) after which a stuck submission is ended `error` instead of re-enqueued: BullMQ's 3
 * attempts plus the re-runs of stalled jobs. Without a bound, a submission that kills its runner every time
 * (a poison job: BullMQ fails it "stalled more than allowable limit") would be re-enqueued forever
 * (docs/architecture.md, "Failure handling and retries").
 */
export const MAX_GRADING_ATTEMPTS = 5;

/**
 * One reconciliation pass (docs/architecture.md, "Failure handling and retries"): every submission `queued`
 * for longer than `graceMs`, or `running` past its lease, whose job is not waiting or active in Redis is
 * enqueued again (after removing a finished job of the same id, which would otherwise swallow the add),
 * unless it has used `maxAttempts` attempts: then it ends `error` (code SANDBOX_FAILED). Recovers from a
 * failed enqueue in the API, a lost Redis and a dead runner. `stillLeader`, when given, is asked before
 * acting on each submission and ends the pass when it answers false (the lease was lost). Returns how many
 * were re-enqueued.
 */
export async function reconcileOnce(
  repo: SubmissionRepository,
  queue: Queue,
  graceMs: number,
  log: Logger,
  maxAttempts = MAX_GRADING_ATTEMPTS,
  stillLeader?: () => Promise<boolean>,
): Promise<number> {
  const now = new Date();
  let n = 0;
  for (const sub of await repo.stuck(new Date(now.getTime() - graceMs), now)) {
    if (stillLeader && !(await stillLeader())) {
      log.warn({ reenqueued: n }, 'reconciler lease lost during a pass; stopping it');
      break;
    }
    const jobId = gradeJobId(sub._id);
    if (sub.attempt >= maxAttempts) {
      const job = await queue.getJob(jobId);
      const state = job ? await job.getState() : 'missing';
      if (state === 'active' || state === 'waiting' || state === 'delayed' || state === 'prioritized')
        continue;
      const ended = await repo.giveUp(
        sub._id,
        sub.attempt,
        'SANDBOX_FAILED',
        `grading was interrupted ${sub.attempt} times (runner died or infrastructure failed); not retried again`,
      );
      if (ended) log.error({ submissionId: sub._id, attempt: sub.attempt }, 'gave up a stuck submission');
      continue;
    }
    const job = await queue.getJob(jobId);
    if (job) {
      const state = await job.getState();
      if (
        state === 'waiting' ||
        state === 'active' ||
        state === 'delayed' ||
        state === 'prioritized' ||
        state === 'waiting-children'
      )
        continue;
      await job.remove().catch(() => undefined);
    }
    await queue.add('grade', { submissionId: sub._id }, { ...GRADE_JOB_OPTIONS, jobId });
    await repo.touch(sub._id);
    n++;
    log.warn({ submissionId: sub._id, status: sub.status }, 're-enqueued a stuck submission');
  }
  return n;
}

/** What one {@link reconcilerPass} did. */
export interface ReconcilerPassResult {
  /** Whether this runner held the leader lease (if not, it did nothing). */
  leader: boolean;
  /** Submissions re-enqueued (see {@link reconcileOnce}). */
  reenqueued: number;
  /** Orphan archives removed (see sweepOrphanArchives). */
  sweptArchives: number;
}

/** What {@link reconcilerPass} needs. */
export interface ReconcilerPassDeps {
  repo: SubmissionRepository;
  queue: Queue;
  /** The reconciler's leader lease (one per queue, shared by every runner through Redis). */
  lease: LeaderLease;
  /** Age after which a `queued` submission without a job is re-enqueued, ms (QUEUED_GRACE_MS). */
  graceMs: number;
  log: Logger;
  /** Age after which an archive without a submission is removed, ms (default ORPHAN_ARCHIVE_GRACE_MS). */
  orphanGraceMs?: number;
  /** Whether the orphan sweep runs in this pass (default: every pass); see orphanSweepSchedule. */
  sweepDue?: () => boolean;
}

/**
 * One pass of the runner's reconciler, run on an interval by every runner: only the holder of the Redis
 * leader lease acts (docs/architecture.md, "Failure handling and retries"), so two runners never re-enqueue the
 * same submission or sweep the same archive at once. The leader re-enqueues stuck submissions (renewing
 * the lease before each one and stopping if it was lost), then, when `sweepDue` allows, removes orphan
 * archives. Throws Redis and store errors.
 */
export async function reconcilerPass(d: ReconcilerPassDeps): Promise<ReconcilerPassResult> {
  if (!(await d.lease.acquire())) return { leader: false, reenqueued: 0, sweptArchives: 0 };
  const renew = (): Promise<boolean> => d.lease.renew();
  const reenqueued = await reconcileOnce(d.repo, d.queue, d.graceMs, d.log, MAX_GRADING_ATTEMPTS, renew);
  if (d.sweepDue && !d.sweepDue()) return { leader: true, reenqueued, sweptArchives: 0 };
  if (!(await renew())) return { leader: true, reenqueued, sweptArchives: 0 };
  const swept = await sweepOrphanArchives(d.repo, d.log, d.orphanGraceMs ?? ORPHAN_ARCHIVE_GRACE_MS);
  return { leader: true, reenqueued, sweptArchives: swept.removed.length };
}
