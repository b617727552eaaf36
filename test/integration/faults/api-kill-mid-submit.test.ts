/**
 * Fault: the API process is SIGKILLed in the middle of POST /v1/submissions, after it stored the archive and
 * before the submission document (api/domain/submit-solution.ts writes them in that order). A TCP proxy
 * between the API and the store holds back the `insert` into `submissions` and the test kills the API at
 * that moment. Nothing half-written may stay: the request got no 202, and the orphan archive is removed by
 * the runner's reconciler pass once past its grace period, while the archive of a submission accepted by a
 * restarted API is kept.
 */
import net from 'node:net';
import IORedis from 'ioredis';
import pino from 'pino';
import { ORPHAN_ARCHIVE_GRACE_MS } from '../../../runner/worker/archive-sweeper';
import { LeaderLease, reconcilerLeaseKey } from '../../../runner/worker/leader-lease';
import { reconcilerPass } from '../../../runner/worker/reconciler';
import { SubmissionRepository } from '../../../runner/worker/submission-repository';
import { startApi, starterFiles, submit, useFaultStack, waitFor } from './support';

/** The BSON of `insert: "submissions"` as the driver encodes the command (string element 0x02). */
const INSERT_SUBMISSIONS = (() => {
  const len = Buffer.alloc(4);
  len.writeInt32LE(Buffer.byteLength('submissions') + 1);
  return Buffer.concat([Buffer.from([0x02]), Buffer.from('insert\0'), len, Buffer.from('submissions\0')]);
})();

/**
 * A TCP proxy to `target` that forwards everything until the client sends `marker`; that chunk and all
 * later client bytes are held back, and `onHeld` is called once.
 */
async function holdingProxy(target: URL, marker: Buffer, onHeld: () => void) {
  let held = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.on('data', (chunk) => {
      if (!held && chunk.includes(marker)) {
        held = true;
        onHeld();
      }
      if (!held) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    get held() {
      return held;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('fault: API killed between the archive and the submission document', () => {
  const f = useFaultStack({ queue: true });

  it('API SIGKILL mid-POST: no 202, an orphan archive that the reconciler pass removes after its grace period; an accepted submission keeps its archive', async () => {
    const { stack, mongo, children, ids, queue } = f;
    const db = mongo.db(stack.dbName);
    const files = await starterFiles();
    let killApi = (): void => undefined;
    const proxy = await holdingProxy(new URL(stack.mongoUri), INSERT_SUBMISSIONS, () => killApi());
    const redis = new IORedis(stack.redisUrl, { maxRetriesPerRequest: null });
    try {
      const { api, url } = await startApi({ ...stack, mongoUri: proxy.uri });
      children.push(api);
      killApi = () => api.proc.kill('SIGKILL');
      const killed = await submit(url, files).then(
        (r) => `answered ${r.status}`,
        (err: unknown) => `failed: ${String(err)}`,
      );
      expect(proxy.held).toBe(true);
      expect(await api.exited).toBeNull(); // killed by a signal, not exited
      expect(killed).toMatch(/^failed/);
      const orphans = await db
        .collection('archives')
        .find({}, { projection: { _id: 1 } })
        .toArray();
      expect(orphans).toHaveLength(1);
      const orphanId = String(orphans[0]!._id);
      expect(await db.collection('submissions').countDocuments()).toBe(0);

      // A restarted API (straight to the store) accepts the next submission: archive and document.
      const again = await startApi(stack);
      children.push(again.api);
      const ok = await submit(again.url, files);
      expect(ok.status).toBe(202);
      const realId = ok.body.id as string;
      ids.push(realId);
      await waitFor(
        'the accepted submission',
        () =>
          db
            .collection('submissions')
            .findOne({ _id: realId as never })
            .then((d) => d ?? undefined),
        10_000,
      );

      const repo = new SubmissionRepository(db);
      const lease = new LeaderLease(redis, reconcilerLeaseKey(stack.queueName), 30_000, 'test-runner');
      const log = pino({ level: 'silent' });
      // Within the grace period the orphan stays (its API could still be writing the document).
      expect(await reconcilerPass({ repo, queue, lease, graceMs: 60_000, log })).toMatchObject({
        sweptArchives: 0,
      });
      // Past it (both archives aged), the orphan goes and the accepted submission's archive stays.
      await db
        .collection('archives')
        .updateMany({}, { $set: { created_at: new Date(Date.now() - ORPHAN_ARCHIVE_GRACE_MS - 60_000) } });
      expect(await reconcilerPass({ repo, queue, lease, graceMs: 60_000, log })).toMatchObject({
        leader: true,
        sweptArchives: 1,
      });
      const left = await db
        .collection('archives')
        .find({}, { projection: { _id: 1 } })
        .toArray();
      expect(left.map((a) => String(a._id))).toEqual([realId]);
      expect(left.map((a) => String(a._id))).not.toContain(orphanId);
      expect(await repo.archive(realId)).not.toBeNull();
      await lease.release();
    } finally {
      await redis.quit();
      await proxy.close();
    }
  });
});
