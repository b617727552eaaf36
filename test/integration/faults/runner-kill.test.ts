/**
 * Fault: the runner process is killed with SIGKILL while its pod runs. After a restart with the same worker
 * id, the start-up reaper removes the dead attempt's containers and work folders, the job (stalled in
 * BullMQ) runs again, and the submission completes exactly once with the second attempt's report
 * (compare-and-set on `attempt`).
 */
import fs from 'node:fs/promises';
import { gradeJobId } from '../../../runner/contract/queue-names';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { slotsRoot, workerRoot } from '../../../runner/grading/work-folders';
import {
  podContainers,
  podContainersAfterTeardown,
  reportRecovery,
  startApi,
  STACKGRADE_HOME,
  startRunner,
  starterFiles,
  submit,
  waitFinished,
  waitForRunningPod,
  useFaultStack,
} from './support';

describe('fault: runner killed mid-run', () => {
  const f = useFaultStack({ queue: true });

  it('runner SIGKILL mid-run, after a restart with the same worker id, reaps the old pod and its folders and completes the submission exactly once', async () => {
    const { stack, mongo, children, ids, queue } = f;
    const { api, url } = await startApi(stack);
    children.push(api);
    let runner = await startRunner(stack);
    children.push(runner);

    const res = await submit(url, await starterFiles());
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    ids.push(id);

    const oldPod = await waitForRunningPod(id, 180_000);
    const doc1 = await mongo
      .db(stack.dbName)
      .collection<SubmissionDocument>('submissions')
      .findOne({ _id: id });
    expect(doc1).toMatchObject({ status: 'running', attempt: 1, leased_by: stack.workerId });
    // The first attempt's grading folder and candidate slot (named by its run id, `<id prefix>-1-<hex>`).
    const root = workerRoot(STACKGRADE_HOME, stack.workerId);
    const firstAttempt = async (): Promise<string[]> =>
      (
        await Promise.all(
          [root, slotsRoot(root)].map(async (dir) =>
            (await fs.readdir(dir).catch(() => [] as string[])).filter((d) =>
              d.startsWith(`${id.slice(0, 8)}-1-`),
            ),
          ),
        )
      ).flat();
    const killedAt = Date.now();
    await runner.stop('SIGKILL');
    // The dead runner's containers and work folders outlive it.
    expect((await podContainers(id)).length).toBeGreaterThan(0);
    expect(await firstAttempt()).toHaveLength(2);

    runner = await startRunner(stack);
    children.push(runner);
    const restartedMs = Date.now() - killedAt;
    // The restarted runner gave back the lease its dead process held.
    expect(
      runner.lines.find(
        (l) => l.msg === 'gave back the leases of submissions this worker id held when it died',
      ),
    ).toMatchObject({ released: [id] });
    const remaining = new Set((await podContainers(id)).map((c) => c.Id));
    expect(oldPod.filter((c) => remaining.has(c.Id))).toEqual([]);
    expect(await firstAttempt()).toEqual([]);

    const done = await waitFinished(mongo.db(stack.dbName), id, 300_000);
    const recoveredMs = Date.now() - killedAt;
    expect(done.status).toBe('completed');
    expect(done.attempt).toBe(2);
    expect(done.report?.status).toBe('fail'); // the starter scores low
    expect(done.leased_by).toBeNull();
    // Exactly one attempt stored a report: the restarted runner graded once, the killed one never finished.
    const graded = runner.lines.filter((l) => l.msg === 'graded');
    expect(graded).toHaveLength(1);
    expect(graded[0]).toMatchObject({ attempt: 2, stored: true });
    const job = await queue.getJob(gradeJobId(id));
    expect(await job?.getState()).toBe('completed');
    expect(await podContainersAfterTeardown(id)).toEqual([]);
    reportRecovery(
      'runner SIGKILL mid-run',
      recoveredMs,
      `runner back after ${(restartedMs / 1000).toFixed(1)} s`,
    );
  });
});
