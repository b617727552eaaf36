/**
 * Fault: the pod's containers are stopped from outside mid-run, as a Docker daemon restart does (it stops every
 * container; the grader may outlive the others and report every check failing). Only this test's own
 * containers are killed. The run must count as a platform failure and be retried, never stored as a verdict
 * on the candidate: the starter, which always passes c-health when it runs, ends completed with c-health
 * passing on attempt 2, and no container is left.
 */
import type Docker from 'dockerode';
import { LABELS } from '../../../runner/sandbox/labels';
import {
  docker,
  podContainersAfterTeardown,
  reportRecovery,
  starterFiles,
  submit,
  waitFinished,
  waitForRunningPod,
  useFaultStack,
} from './support';

describe('fault: pod stopped from outside mid-run', () => {
  const f = useFaultStack();

  it('every pod container but the grader killed mid-run: the attempt is retried as a platform failure, not stored as a verdict', async () => {
    const { stack, mongo, ids } = f;
    const { runner, url } = await f.startApiAndRunner();

    const res = await submit(url, await starterFiles());
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    ids.push(id);
    const pod = await waitForRunningPod(id, 180_000);

    // The network owner first, then the rest at once (as a daemon restart stops them): killed one by one in
    // list order, the candidate could die first and the runner see a running owner (a candidate crash).
    const faultAt = Date.now();
    const kill = (c: Docker.ContainerInfo): Promise<unknown> =>
      docker
        .getContainer(c.Id)
        .kill()
        .catch(() => undefined);
    const victims = pod.filter((p) => p.Labels[LABELS.role] !== 'grader');
    await Promise.all(victims.filter((c) => c.Labels[LABELS.role] === 'net-owner').map(kill));
    await Promise.all(victims.filter((c) => c.Labels[LABELS.role] !== 'net-owner').map(kill));

    const done = await waitFinished(mongo.db(stack.dbName), id, 400_000);
    const recoveredMs = Date.now() - faultAt;
    expect(done.status).toBe('completed');
    expect(done.attempt).toBe(2);
    expect(done.report?.tests.find((t) => t.id === 'c-health')?.status).toBe('pass');
    expect(runner.lines).toContainEqual(
      expect.objectContaining({
        submissionId: id,
        attempt: 1,
        retryable: true,
        msg: 'grading attempt failed',
        err: expect.stringContaining('stopped from outside'),
      }),
    );
    expect(await podContainersAfterTeardown(id)).toEqual([]);
    reportRecovery(
      'pod containers killed from outside mid-run',
      recoveredMs,
      `retried, attempt ${done.attempt}`,
    );
  });
});
