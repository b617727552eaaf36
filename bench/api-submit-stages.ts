import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { MongoSubmissionStore } from '../api/data-access/submission-store';
import { BullMqGradeQueue } from '../api/queue/grade-queue';
import { submitSolution } from '../api/domain/submit-solution';
import { packFiles, readArchive } from '../runner/archive';
import type { ChallengeCatalog } from '../runner/contract/challenge-catalog';
import { openLoop } from './open-loop';
import { percentile } from './stats';

/** p50/p99 of one stage of POST /v1/submissions, ms. */
export interface StageLatency {
  p50: number;
  p99: number;
  max: number;
}

/** Where the time of POST /v1/submissions goes at a fixed offered rate, without HTTP. */
export interface SubmitStagesSample {
  /** Offered rate, requests/s, and how many were completed. */
  rps: number;
  requests: number;
  /**
   * Each stage alone, back to back at the same rate (no overlap with other stages): archive read+validate,
   * pack as tar.gz (zip and files-map uploads only: a tar.gz upload is stored as received), archive insert,
   * submission insert, BullMQ add; `read_pack` is the CPU part of a zip or files-map upload.
   */
  stages: Record<
    'read' | 'pack' | 'insert_archive' | 'insert_submission' | 'enqueue' | 'read_pack' | 'both_inserts',
    StageLatency
  >;
  /** The whole use case for a tar.gz upload (submitSolution: read, both inserts, enqueue) at the offered rate. */
  total: StageLatency;
  /** Event-loop delay of this process during the whole-use-case run (a CPU-starved loop queues requests), ms. */
  loopDelayP99: number;
  /** 1-minute load average at the end. */
  load1: number;
}

const summarize = (xs: number[]): StageLatency => {
  const r = (x: number): number => Math.round(x * 10) / 10;
  return { p50: r(percentile(xs, 50)), p99: r(percentile(xs, 99)), max: r(Math.max(...xs)) };
};

/**
 * Profiles the POST /v1/submissions use case in-process at `rps` for `seconds` per stage, on a private
 * database and BullMQ queue of the shared store and Redis (both removed afterwards): each stage alone, then
 * the whole use case. Shows which stage's latency grows under load. Throws when a stage fails.
 */
export async function profileSubmitStages(o: {
  mongoUri: string;
  redisUrl: string;
  catalog: ChallengeCatalog;
  challengeId: string;
  body: Buffer;
  rps: number;
  seconds: number;
}): Promise<SubmitStagesSample> {
  const tag = randomUUID().slice(0, 8);
  const mongo = await MongoClient.connect(o.mongoUri);
  const db = mongo.db(`bench_stages_${tag}`);
  const store = new MongoSubmissionStore(db);
  const queue = new BullMqGradeQueue({ redisUrl: o.redisUrl, queueName: `bench-stages-${tag}` });
  try {
    const files = await readArchive({ format: 'tar.gz', data: o.body });
    const doc = () => ({
      _id: randomUUID(),
      challenge_id: o.challengeId,
      challenge_version: 1,
      status: 'queued' as const,
      attempt: 0,
      created_at: new Date(),
      updated_at: new Date(),
      leased_by: null,
      lease_until: null,
      archive_sha256: 'x',
      archive_bytes: o.body.length,
      report: null,
      error: null,
    });
    const stage = async (fn: () => Promise<unknown>): Promise<StageLatency> => {
      const r = await openLoop(o.rps, o.seconds, fn);
      if (r.failed > 0) throw new Error(`${r.failed} calls of a submit stage failed`);
      return summarize(r.latenciesMs);
    };
    const stages = {
      read: await stage(() => readArchive({ format: 'tar.gz', data: o.body })),
      pack: await stage(() => packFiles(files)),
      insert_archive: await stage(() =>
        store.insertArchive({ _id: randomUUID(), data: o.body, format: 'tar.gz' }),
      ),
      insert_submission: await stage(() => store.insertSubmission(doc())),
      enqueue: await stage(() => queue.enqueue(randomUUID())),
      // The CPU part of a zip or files-map upload, and the store part of the use case as it runs it.
      read_pack: await stage(async () => packFiles(await readArchive({ format: 'tar.gz', data: o.body }))),
      both_inserts: await stage(async () => {
        const id = randomUUID();
        await store.insertArchive({ _id: id, data: o.body, format: 'tar.gz' });
        await store.insertSubmission({ ...doc(), _id: id });
      }),
    };
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const total = await stage(() =>
      submitSolution(
        { store, queue, catalog: o.catalog, logger: pino({ level: 'silent' }), maxUploadBytes: 10 << 20 },
        { challengeId: o.challengeId, upload: { format: 'tar.gz', data: o.body } },
      ),
    );
    h.disable();
    return {
      rps: o.rps,
      requests: o.rps * o.seconds,
      stages,
      total,
      loopDelayP99: Math.round(h.percentile(99) / 1e5) / 10,
      load1: Math.round(os.loadavg()[0]! * 100) / 100,
    };
  } finally {
    await queue.queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
    await db.dropDatabase().catch(() => undefined);
    await mongo.close().catch(() => undefined);
  }
}
