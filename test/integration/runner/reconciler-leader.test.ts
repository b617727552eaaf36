/**
 * With several runners, only one reconciler acts at a time (a Redis leader lease), so no stuck
 * submission is re-enqueued twice; when the leader stops renewing, or releases at shutdown, another runner
 * takes over. Two runners' reconcilers here are two sets of connections (Redis, BullMQ queue, store) in one
 * process, started at the same instant each round. Real Redis and FerretDB, unique queue, key and database.
 */
import { queuedSubmissionDoc } from '../../support/submission-fixtures';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import pino from 'pino';
import { gradeJobId } from '../../../runner/contract/queue-names';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { LeaderLease } from '../../../runner/worker/leader-lease';
import { reconcilerPass, type ReconcilerPassResult } from '../../../runner/worker/reconciler';
import { SubmissionRepository } from '../../../runner/worker/submission-repository';

const MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const STUCK = 20;

/** One runner's reconciler: its own connections and lease instance, and the ids it re-enqueued (from its log). */
function runnerReconciler(db: Db, queueName: string, key: string, name: string, ttlMs: number) {
  const reenqueued: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const l = JSON.parse(line) as { msg?: string; submissionId?: string };
        if (l.msg === 're-enqueued a stuck submission' && l.submissionId) reenqueued.push(l.submissionId);
      }
      done();
    },
  });
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
  const lease = new LeaderLease(redis, key, ttlMs, name);
  const repo = new SubmissionRepository(db);
  const log = pino({ level: 'info' }, sink);
  return {
    reenqueued,
    lease,
    queue,
    pass: (): Promise<ReconcilerPassResult> => reconcilerPass({ repo, queue, lease, graceMs: 60_000, log }),
    close: async () => {
      await queue.close();
      await redis.quit();
    },
  };
}

describe('reconciler leader lease (several runners)', () => {
  const queueName = `test-leader-${randomUUID()}`;
  const key = `stackgrade-test:${queueName}:reconciler-leader`;
  let mongo: MongoClient;
  let db: Db;
  let admin: IORedis;
  const runners: ReturnType<typeof runnerReconciler>[] = [];

  beforeAll(async () => {
    mongo = await MongoClient.connect(MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
    db = mongo.db(`t_leader_${randomUUID().slice(0, 8)}`);
    admin = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await runners[0]?.queue.obliterate({ force: true }).catch(() => undefined);
    for (const r of runners) await r.close();
    await admin.del(key);
    await admin.quit();
    await db.dropDatabase();
    await mongo.close();
  });

  it('two runners reconciling at once: one leader, every stuck submission re-enqueued exactly once; failover after the lease lapses or is released', async () => {
    const old = new Date(Date.now() - 10 * 60_000);
    const ids = Array.from({ length: STUCK }, () => randomUUID());
    const doc = (id: string): SubmissionDocument => queuedSubmissionDoc(id, old, Buffer.from(id));
    await db.collection<SubmissionDocument>('submissions').insertMany(ids.map(doc));
    const ttlMs = 1_500;
    const a = runnerReconciler(db, queueName, key, 'runner-a', ttlMs);
    const b = runnerReconciler(db, queueName, key, 'runner-b', ttlMs);
    runners.push(a, b);

    // Three rounds, both passes started together each time.
    const rounds: ReconcilerPassResult[][] = [];
    for (let i = 0; i < 3; i++) rounds.push(await Promise.all([a.pass(), b.pass()]));
    for (const round of rounds) expect(round.filter((r) => r.leader)).toHaveLength(1);
    const leader = rounds[0]![0]!.leader ? a : b;
    const follower = leader === a ? b : a;
    // The leader keeps its lease from round to round; the follower never acted.
    for (const round of rounds) expect(round[runners.indexOf(leader)]!.leader).toBe(true);
    expect(follower.reenqueued).toEqual([]);
    expect([...leader.reenqueued].sort()).toEqual([...ids].sort());
    expect(rounds.flat().reduce((n, r) => n + r.reenqueued, 0)).toBe(STUCK);
    const jobs = await Promise.all(ids.map((id) => a.queue.getJob(gradeJobId(id))));
    expect(jobs.filter(Boolean)).toHaveLength(STUCK);

    // The leader stops renewing (a dead runner): the follower takes over once the lease lapses, not before.
    expect((await follower.pass()).leader).toBe(false);
    await new Promise((r) => setTimeout(r, ttlMs + 500));
    expect((await follower.pass()).leader).toBe(true);
    expect((await leader.pass()).leader).toBe(false);
    // A leader that releases at shutdown hands over at once.
    await follower.lease.release();
    expect((await leader.pass()).leader).toBe(true);
    // Jobs already waiting are never re-enqueued by the new leader.
    expect(leader.reenqueued.length + follower.reenqueued.length).toBe(STUCK);
  });
});
