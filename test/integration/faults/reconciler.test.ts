/**
 * Fault: submissions the queue has lost. One is `queued` with no job (the API's enqueue failed, or Redis lost
 * it); one is `running` past its lease with no job (its runner died and Redis lost the job), and its dead
 * runner's container is still there. A runner started on the same store re-enqueues both through its
 * reconciler, removes the earlier attempt's container, and completes both.
 */
import { queuedSubmissionDoc } from '../../support/submission-fixtures';
import { randomUUID } from 'node:crypto';
import { MongoSubmissionStore } from '../../../api/data-access/submission-store';
import { packFiles, readArchive } from '../../../runner/archive';
import { gradeJobId } from '../../../runner/contract/queue-names';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { podLabels } from '../../../runner/sandbox/labels';
import { MAX_GRADING_ATTEMPTS } from '../../../runner/worker/reconciler';
import {
  docker,
  podContainersAfterTeardown,
  reportRecovery,
  startRunner,
  starterFiles,
  waitFinished,
  useFaultStack,
} from './support';

describe('fault: submissions without a job (reconciler)', () => {
  const f = useFaultStack({ queue: true });

  it('a queued submission without a job and a running one past its lease, when a runner starts, are re-enqueued, the dead pod removed, and both complete; one out of attempts ends error', async () => {
    const { stack, mongo, children, ids, queue } = f;
    const db = mongo.db(stack.dbName);
    const store = new MongoSubmissionStore(db);
    const data = await packFiles(await readArchive({ format: 'files', files: await starterFiles() }));
    const old = new Date(Date.now() - 10 * 60_000);
    const base = (id: string): SubmissionDocument => queuedSubmissionDoc(id, old, data);
    const queuedId = randomUUID();
    const runningId = randomUUID();
    ids.push(queuedId, runningId);
    for (const id of ids) await store.insertArchive({ _id: id, data, format: 'tar.gz' });
    await store.insertSubmission(base(queuedId));
    await store.insertSubmission({
      ...base(runningId),
      status: 'running',
      attempt: 1,
      leased_by: 'dead-runner',
      lease_until: new Date(Date.now() - 1_000),
    });
    // A poison submission: it already used every attempt (its runner died each time); it must end, not loop.
    const exhaustedId = randomUUID();
    await store.insertSubmission({
      ...base(exhaustedId),
      status: 'running',
      attempt: MAX_GRADING_ATTEMPTS,
      leased_by: 'dead-runner',
      lease_until: new Date(Date.now() - 1_000),
    });
    // The dead runner's leftover: a container of attempt 1 whose deadline is still far away.
    const leftover = await docker.createContainer({
      Image: 'stackgrade/orders-api-grader:latest',
      Cmd: ['sleep', '600'],
      Labels: podLabels({
        runId: `${runningId.slice(0, 8)}-1-dead`,
        submissionId: runningId,
        role: 'grader',
        worker: 'dead-runner',
        deadline: Date.now() + 3_600_000,
      }),
    });
    expect(await queue.getJob(gradeJobId(queuedId))).toBeUndefined();

    const startedAt = Date.now();
    const runner = await startRunner(stack, { RUNNER_CONCURRENCY: '2' });
    children.push(runner);
    const done = [await waitFinished(db, queuedId, 400_000), await waitFinished(db, runningId, 400_000)];
    const recoveredMs = Date.now() - startedAt;
    const exhausted = await waitFinished(db, exhaustedId, 30_000);
    expect(exhausted).toMatchObject({
      status: 'error',
      attempt: MAX_GRADING_ATTEMPTS,
      error: { code: 'SANDBOX_FAILED', message: expect.stringContaining('interrupted') },
    });
    expect(await queue.getJob(gradeJobId(exhaustedId))).toBeUndefined();

    expect(done.map((d) => d.status)).toEqual(['completed', 'completed']);
    expect(done.map((d) => d.attempt)).toEqual([1, 2]);
    const reenqueued = runner.lines.filter((l) => l.msg === 're-enqueued a stuck submission');
    expect(reenqueued.map((l) => l.submissionId).sort()).toEqual([...ids].sort());
    await expect(docker.getContainer(leftover.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    for (const id of ids) expect(await podContainersAfterTeardown(id)).toEqual([]);
    reportRecovery(
      'queued without job + running past lease (reconciler)',
      recoveredMs,
      'from runner start, both graded',
    );
  });
});
