/**
 * Fault: the submission store (a private FerretDB with its own state dir and ports) is killed while a
 * grading runs. While it is down the API answers 503 problem+json (STORE_UNAVAILABLE), never 500; after a
 * restart on the same data the API answers again and the runner completes the submission.
 */
import { problemType } from '../../../runner/contract/error-codes';
import {
  podContainersAfterTeardown,
  reportRecovery,
  sleep,
  starterFiles,
  submit,
  waitFinished,
  waitForRunningPod,
  waitFor,
  useFaultStack,
} from './support';

/** How long the store stays down. */
const OUTAGE_MS = 15_000;

describe('fault: store restart', () => {
  const f = useFaultStack({ privateFerret: true });

  it('FerretDB killed mid-run for 15 s: the API answers 503 problem+json while it is down, recovers, and the runner completes the submission', async () => {
    const { stack, mongo, ids, ferret } = f;
    const { api, runner, url } = await f.startApiAndRunner();
    const files = await starterFiles();

    const res = await submit(url, files);
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    ids.push(id);
    await waitForRunningPod(id, 180_000);

    const faultAt = Date.now();
    await ferret.kill();
    const get = await fetch(`${url}/v1/submissions/${id}`);
    expect(get.status).toBe(503);
    expect(get.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await get.json()).toMatchObject({ type: problemType('STORE_UNAVAILABLE'), status: 503 });
    const post = await submit(url, files);
    expect(post.status).toBe(503);
    expect(post.type).toMatch(/^application\/problem\+json/);
    expect(post.body).toMatchObject({ type: problemType('STORE_UNAVAILABLE'), status: 503 });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(503);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - faultAt)));

    await ferret.start();
    const apiBackMs = await waitFor(
      'the API to answer 200 again',
      async () =>
        (await fetch(`${url}/v1/submissions/${id}`)).status === 200 ? Date.now() - faultAt : undefined,
      60_000,
      250,
    );
    const done = await waitFinished(mongo.db(stack.dbName), id, 400_000);
    const recoveredMs = Date.now() - faultAt;
    expect(done.status).toBe('completed');
    expect(done.report?.status).toBe('fail');
    expect(await podContainersAfterTeardown(id)).toEqual([]);
    // No 500 was ever answered.
    expect(api.lines.filter((l) => l.msg === 'request' && l.status === 500)).toEqual([]);
    expect(runner.alive).toBe(true);
    reportRecovery(
      'FerretDB killed mid-run, 15 s outage',
      recoveredMs,
      `API answering again ${(apiBackMs / 1000).toFixed(1)} s after the kill; attempt ${done.attempt}`,
    );
  });
});
