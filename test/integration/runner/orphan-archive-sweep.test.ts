/**
 * An API killed (SIGKILL) between its two writes of POST /v1/submissions (archive first, then the
 * submission document: api/domain/submit-solution.ts) leaves an archive without a document. The runner's
 * reconciler pass removes such orphans once older than the grace period, and keeps every archive that has
 * its submission. Real FerretDB (unique database) and Redis (unique queue and lease key).
 */
import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import { Queue } from 'bullmq';
import pino from 'pino';
import { ARCHIVES_COLLECTION, MongoSubmissionStore } from '../../../api/data-access/submission-store';
import { submitSolution } from '../../../api/domain/submit-solution';
import { BullMqGradeQueue } from '../../../api/queue/grade-queue';
import { packFiles, readArchive } from '../../../runner/archive';
import { ChallengeCatalog } from '../../../runner/contract/challenge-catalog';
import { ORPHAN_ARCHIVE_GRACE_MS, sweepOrphanArchives } from '../../../runner/worker/archive-sweeper';
import { LeaderLease } from '../../../runner/worker/leader-lease';
import { reconcilerPass } from '../../../runner/worker/reconciler';
import { SubmissionRepository } from '../../../runner/worker/submission-repository';

const MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = pino({ level: 'silent' });

describe('orphan archives (API killed between its two writes)', () => {
  const queueName = `test-orphans-${randomUUID()}`;
  const leaseKey = `stackgrade-test:${queueName}:reconciler-leader`;
  let mongo: MongoClient;
  let db: Db;
  let redis: IORedis;
  let queue: Queue;
  let gradeQueue: BullMqGradeQueue;

  beforeAll(async () => {
    mongo = await MongoClient.connect(MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
    db = mongo.db(`t_orphans_${randomUUID().slice(0, 8)}`);
    redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(queueName, { connection: { url: REDIS_URL } });
    gradeQueue = new BullMqGradeQueue({ redisUrl: REDIS_URL, queueName });
  });

  afterAll(async () => {
    await redis.del(leaseKey);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await gradeQueue.close();
    await redis.quit();
    await db.dropDatabase();
    await mongo.close();
  });

  it('an orphan older than the grace period is swept; a real submission, a fresh orphan and an undated archive are kept', async () => {
    const store = new MongoSubmissionStore(db);
    const archives = db.collection(ARCHIVES_COLLECTION);
    const catalog = await ChallengeCatalog.load();
    const files = {
      'package.json': JSON.stringify({ name: 'x', version: '1.0.0', scripts: { start: 'node index.js' } }),
      'index.js': 'require("node:http").createServer((q, s) => s.end("ok")).listen(process.env.PORT);\n',
    };
    // A real submission through the API's use case: archive, then document, then job.
    const real = await submitSolution(
      { store, queue: gradeQueue, catalog, logger: log, maxUploadBytes: 1024 * 1024 },
      { challengeId: 'orders-api', upload: { format: 'files', files } },
    );
    // What an API SIGKILLed right after its first write leaves: the archive, no document (same store call).
    const data = await packFiles(await readArchive({ format: 'files', files }));
    const oldOrphan = randomUUID();
    const freshOrphan = randomUUID();
    await store.insertArchive({ _id: oldOrphan, data, format: 'tar.gz' });
    await store.insertArchive({ _id: freshOrphan, data, format: 'tar.gz' });
    // Stored by an API from before `created_at` existed, long ago, no document either.
    const undated = randomUUID();
    await archives.insertOne({ _id: undated as never, data, format: 'tar.gz' });
    // Age the real submission's archive and the old orphan past the grace period.
    const longAgo = new Date(Date.now() - ORPHAN_ARCHIVE_GRACE_MS - 60_000);
    await archives.updateMany(
      { _id: { $in: [real._id, oldOrphan] as never[] } },
      { $set: { created_at: longAgo } },
    );

    const repo = new SubmissionRepository(db);
    const lease = new LeaderLease(redis, leaseKey, 30_000, 'test-runner');
    // A pass the sweep schedule does not allow leaves every archive alone.
    const skipped = await reconcilerPass({ repo, queue, lease, graceMs: 60_000, log, sweepDue: () => false });
    expect(skipped).toEqual({ leader: true, reenqueued: 0, sweptArchives: 0 });
    expect(await archives.countDocuments({ _id: oldOrphan as never })).toBe(1);
    const first = await reconcilerPass({ repo, queue, lease, graceMs: 60_000, log, sweepDue: () => true });
    expect(first).toEqual({ leader: true, reenqueued: 0, sweptArchives: 1 });
    const left = async (): Promise<string[]> =>
      (await archives.find({}, { projection: { _id: 1 } }).toArray()).map((a) => String(a._id)).sort();
    expect(await left()).toEqual([real._id, freshOrphan, undated].sort());
    // The real submission still has its exact bytes, and is marked as checked.
    expect((await repo.archive(real._id))?.length).toBe(real.archive_bytes);
    expect(await archives.findOne({ _id: real._id as never })).toMatchObject({ linked: true });
    // The undated archive got a date now: it ages from this pass on, it is not removed at once.
    const stamped = await archives.findOne({ _id: undated as never });
    expect(Date.now() - (stamped?.created_at as Date).getTime()).toBeLessThan(60_000);

    // A second pass changes nothing; once their grace period has passed, the two remaining orphans go too.
    expect((await reconcilerPass({ repo, queue, lease, graceMs: 60_000, log })).sweptArchives).toBe(0);
    const later = await sweepOrphanArchives(repo, log, -60_000);
    expect(later.removed.sort()).toEqual([freshOrphan, undated].sort());
    expect(await left()).toEqual([real._id]);
    expect(await db.collection('submissions').countDocuments()).toBe(1);
  });
});
