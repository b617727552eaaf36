import { randomUUID } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { MongoClient, type Db } from 'mongodb';
import type { GradeReport } from '../runner/contract/grade-result.schema';
import { startChildService, type ChildService } from './child-service';

/** A submission as the runner left it in the store. */
export interface StoredSubmission {
  id: string;
  status: string;
  report: GradeReport | null;
  /** When the report (or the error) was stored. */
  updatedAt: Date;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * The real API and runner processes (`api/main.ts`, `runner/main.ts`) on the shared Redis and store, with
 * a unique BullMQ queue and database (never the production `stackgrade-grade` queue), so other users of the
 * machine are not disturbed. Remembers the peak resident memory of every process it stopped.
 */
export class BenchStack {
  readonly id = randomUUID().slice(0, 8);
  readonly queueName = `bench-${this.id}`;
  readonly dbName = `bench_${this.id}`;
  readonly workers: string[] = [];
  /** Peak RSS (MiB) of every API and runner process, read just before each was stopped. */
  readonly apiPeaksMb: number[] = [];
  readonly runnerPeaksMb: number[] = [];
  private api: ChildService | null = null;
  private runner: ChildService | null = null;
  private apiUrl = '';
  private readonly logDir = os.tmpdir();

  private constructor(
    private readonly repo: string,
    private readonly mongo: MongoClient,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Connects to the store (MONGODB_URI, REDIS_URL from the environment, else the local defaults). */
  static async create(repo: string): Promise<BenchStack> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MONGODB_URI: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    };
    const mongo = await MongoClient.connect(env.MONGODB_URI!);
    return new BenchStack(repo, mongo, env);
  }

  private get db(): Db {
    return this.mongo.db(this.dbName);
  }

  /** Base URL of the running API, e.g. http://127.0.0.1:41234. */
  get url(): string {
    if (!this.api) throw new Error('the API is not running');
    return this.apiUrl;
  }

  private common(): NodeJS.ProcessEnv {
    return { ...this.env, MONGODB_DB: this.dbName, QUEUE_NAME: this.queueName };
  }

  /**
   * Starts the API with `workers` processes (API_WORKERS; 1 = one process) and waits until it listens. Its
   * peak RSS, recorded at {@link stopApi}, is then the sum over the primary and its workers.
   */
  async startApi(workers = 1): Promise<void> {
    const port = await freePort();
    this.api = await startChildService({
      script: 'api/main.ts',
      cwd: this.repo,
      env: {
        ...this.common(),
        API_PORT: String(port),
        API_HOST: '127.0.0.1',
        API_WORKERS: String(workers),
        LOG_LEVEL: 'info',
      },
      logFile: path.join(this.logDir, `${this.queueName}-api.log`),
      readyText: '"msg":"api listening"',
      timeoutMs: 60_000,
    });
    this.apiUrl = `http://127.0.0.1:${port}`;
  }

  /**
   * Starts a runner process grading `concurrency` pods at once and waits until its worker consumes jobs, or,
   * with `waitWarmPods`, until `count` warm pods of `challenge` are ready (the pool also warms the
   * catalog's other challenges). `warmPods` sets WARM_PODS (default: the
   * runner's own default, its concurrency).
   */
  async startRunner(
    concurrency: number,
    o: { warmPods?: number; waitWarmPods?: { challenge: string; count: number } } = {},
  ): Promise<void> {
    const worker = `bench-${this.id}-r${this.workers.length}`;
    this.workers.push(worker);
    this.runner = await startChildService({
      script: 'runner/main.ts',
      cwd: this.repo,
      env: {
        ...this.common(),
        WORKER_ID: worker,
        RUNNER_CONCURRENCY: String(concurrency),
        ...(o.warmPods !== undefined ? { WARM_PODS: String(o.warmPods) } : {}),
        LOG_LEVEL: 'info',
      },
      logFile: path.join(this.logDir, `${worker}.log`),
      // runner/grading/warm-pod-pool.ts logs `"pool":"<challenge>@…",…,"ready":<n>,"msg":"warm pod ready"`
      // (pino keeps field order).
      readyText: o.waitWarmPods
        ? new RegExp(
            `"pool":"${o.waitWarmPods.challenge}@[^"\\n]*"[^\\n]*"ready":${o.waitWarmPods.count},"msg":"warm pod ready"`,
          )
        : '"msg":"runner started"',
      timeoutMs: 300_000,
    });
  }

  /** Stops the runner (SIGTERM: it finishes nothing new) and records its peak RSS. */
  async stopRunner(): Promise<void> {
    if (!this.runner) return;
    const peak = this.runner.peakRssMb();
    if (peak !== null) this.runnerPeaksMb.push(peak);
    await this.runner.stop();
    this.runner = null;
  }

  async stopApi(): Promise<void> {
    if (!this.api) return;
    const peak = this.api.peakRssMb();
    if (peak !== null) this.apiPeaksMb.push(peak);
    await this.api.stop();
    this.api = null;
  }

  /** POSTs a tar.gz archive for `challengeId`; returns the submission id and when the request was sent (epoch ms). */
  async submit(challengeId: string, archive: Buffer): Promise<{ id: string; sentAt: number }> {
    const sentAt = Date.now();
    const res = await fetch(`${this.url}/v1/submissions?challenge_id=${encodeURIComponent(challengeId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/gzip' },
      body: archive,
    });
    if (res.status !== 202)
      throw new Error(`POST /v1/submissions answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { id: string };
    return { id: body.id, sentAt };
  }

  /** Waits until every submission in `ids` is `completed` or `error` (polling the store every 200 ms). */
  async waitFinished(ids: readonly string[], timeoutMs: number): Promise<StoredSubmission[]> {
    const until = Date.now() + timeoutMs;
    const col = this.db.collection<{
      _id: string;
      status: string;
      report: GradeReport | null;
      updated_at: Date;
    }>('submissions');
    for (;;) {
      const docs = await col
        .find({ _id: { $in: [...ids] }, status: { $in: ['completed', 'error'] } })
        .toArray();
      if (docs.length === ids.length)
        return docs.map((d) => ({ id: d._id, status: d.status, report: d.report, updatedAt: d.updated_at }));
      if (Date.now() > until)
        throw new Error(`${ids.length - docs.length} submission(s) not finished in time`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Stops every process, removes the queue's keys and drops the database. Never throws. */
  async close(): Promise<void> {
    await this.stopRunner().catch(() => undefined);
    await this.stopApi().catch(() => undefined);
    const q = new Queue(this.queueName, { connection: { url: this.env.REDIS_URL } });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close().catch(() => undefined);
    await this.db.dropDatabase().catch(() => undefined);
    await this.mongo.close().catch(() => undefined);
  }
}
