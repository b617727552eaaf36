import type { Queue } from 'bullmq';
import { GRADE_JOB_OPTIONS, gradeJobId } from '../contract/queue-names';
import type { Logger } from '../lib/logger';
import type { SubmissionRepository } from './submission-repository';

/**
 * One reconciliation pass (sandbox-security.md §6 rule 3): every submission `queued` for longer than
 * `graceMs`, or `running` past its lease, whose job is not waiting or active in Redis is enqueued again
 * (after removing a finished job of the same id, which would otherwise swallow the add). Recovers from a
 * failed enqueue in the API, a lost Redis and a dead runner. Returns how many were re-enqueued.
 */
export async function reconcileOnce(
  repo: SubmissionRepository,
  queue: Queue,
  graceMs: number,
  log: Logger,
): Promise<number> {
  const now = new Date();
  let n = 0;
  for (const sub of await repo.stuck(new Date(now.getTime() - graceMs), now)) {
    const jobId = gradeJobId(sub._id);
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
