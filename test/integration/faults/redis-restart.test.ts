/**
 * Fault: Redis (a private redis-server with its own --dir and AOF, `appendfsync everysec`) crashes with SIGKILL
 * while one grading job runs and another waits, and stays down longer than BullMQ's `drainDelay` (5 s; the
 * #4585 wedge needs an outage longer than that). After Redis comes back from its AOF, nothing is lost: both
 * submissions complete, and a submission POSTed during the outage (stored `queued`, enqueue failed) is
 * enqueued by the reconciler and completes too.
 */
import {
  podContainersAfterTeardown,
  reportRecovery,
  sleep,
  starterFiles,
  submit,
  waitFinished,
  waitForRunningPod,
  useFaultStack,
} from './support';

/** Longer than BullMQ's drainDelay (5 s). */
const OUTAGE_MS = 8_000;

describe('fault: Redis restart with jobs waiting and running', () => {
  const f = useFaultStack({ privateRedis: true });

  it('Redis SIGKILL for 8 s with one job active and one waiting, after it restarts from AOF, completes every submission', async () => {
    const { stack, mongo, ids, redis } = f;
    const { api, runner, url } = await f.startApiAndRunner();
    const files = await starterFiles();

    const first = await submit(url, files);
    const second = await submit(url, files);
    expect([first.status, second.status]).toEqual([202, 202]);
    ids.push(first.body.id as string, second.body.id as string);
    await waitForRunningPod(ids[0]!, 180_000);
    await sleep(1_500); // AOF everysec: the adds are on disk

    const faultAt = Date.now();
    await redis.kill();
    await sleep(1_000);
    // During the outage the API still stores submissions (202) and leaves them queued for the reconciler.
    const during = await submit(url, files);
    expect(during.status).toBe(202);
    ids.push(during.body.id as string);
    await sleep(OUTAGE_MS - 1_000);
    await redis.start();

    const db = mongo.db(stack.dbName);
    const done = [];
    for (const id of ids) done.push(await waitFinished(db, id, 400_000));
    const recoveredMs = Date.now() - faultAt;
    expect(done.map((d) => d.status)).toEqual(['completed', 'completed', 'completed']);
    for (const d of done) expect(d.report?.status).toBe('fail');
    for (const id of ids) expect(await podContainersAfterTeardown(id)).toEqual([]);
    // The one POSTed during the outage had no job: the reconciler enqueued it.
    expect(api.lines).toContainEqual(
      expect.objectContaining({ submission_id: ids[2], msg: expect.stringContaining('enqueue failed') }),
    );
    expect(runner.lines).toContainEqual(
      expect.objectContaining({ submissionId: ids[2], msg: 're-enqueued a stuck submission' }),
    );
    expect(runner.alive).toBe(true);
    reportRecovery(
      'Redis crash + 8 s outage (1 active, 1 waiting, 1 posted during outage)',
      recoveredMs,
      `attempts ${done.map((d) => d.attempt).join('/')}`,
    );
  });
});
