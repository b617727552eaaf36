/**
 * Fault: the API process gets SIGTERM while submissions are being POSTed. Every request it answered 202 is
 * stored and enqueued (drained before exit), nothing it did not accept is stored, and the runner completes the
 * accepted submissions while the API is down; a restarted API serves them as completed.
 */
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import {
  podContainersAfterTeardown,
  reportRecovery,
  sleep,
  startApi,
  starterFiles,
  submit,
  waitFinished,
  useFaultStack,
} from './support';

describe('fault: API stopped with submissions in flight', () => {
  const f = useFaultStack();

  it('API SIGTERM during 2 concurrent POSTs: every 202 is stored and completes while the API is down, nothing else is stored', async () => {
    const { stack, mongo, children, ids } = f;
    const { api, runner, url } = await f.startApiAndRunner({ RUNNER_CONCURRENCY: '2' });
    const files = await starterFiles();

    const posts = [0, 1].map(() =>
      submit(url, files).then(
        (r) => ({ ok: true as const, ...r }),
        (err: unknown) => ({ ok: false as const, err: String(err) }),
      ),
    );
    // Stop while the requests are in flight: connected and sent, not yet answered (a POST takes > 50 ms).
    await sleep(50);
    const faultAt = Date.now();
    await api.stop('SIGTERM');
    const results = await Promise.all(posts);

    const accepted = results.flatMap((r) => (r.ok && r.status === 202 ? [r.body.id as string] : []));
    ids.push(...accepted);
    // Answers other than 202 are failures the client sees (connection refused/reset, or a 503 problem).
    for (const r of results) if (r.ok && r.status !== 202) expect(r.status).toBe(503);
    expect(accepted.length).toBeGreaterThan(0);
    const db = mongo.db(stack.dbName);
    const stored = await db.collection<SubmissionDocument>('submissions').find().toArray();
    expect(stored.map((d) => d._id).sort()).toEqual([...accepted].sort());
    expect(await db.collection('archives').countDocuments()).toBe(accepted.length);

    const done = [];
    for (const id of accepted) done.push(await waitFinished(db, id, 400_000));
    const recoveredMs = Date.now() - faultAt;
    expect(done.map((d) => d.status)).toEqual(accepted.map(() => 'completed'));
    for (const id of accepted) expect(await podContainersAfterTeardown(id)).toEqual([]);

    const again = await startApi(stack);
    children.push(again.api);
    for (const id of accepted) {
      const res = await fetch(`${again.url}/v1/submissions/${id}`);
      expect(await res.json()).toMatchObject({ id, status: 'completed' });
    }
    expect(runner.alive).toBe(true);
    const signalAt = api.lines.findIndex((l) => l.msg === 'shutting down: draining HTTP');
    const drained = api.lines.slice(signalAt).filter((l) => l.msg === 'request' && l.status === 202).length;
    reportRecovery(
      'API SIGTERM with POSTs in flight',
      recoveredMs,
      `${accepted.length}/2 accepted (${drained} answered after SIGTERM), ${results.filter((r) => !r.ok).length} refused`,
    );
  });
});
