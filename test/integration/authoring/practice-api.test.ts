/**
 * A practice run through the API: POST /v1/submissions with `mode: practice` (real API, MongoDB-compatible
 * store, BullMQ on Redis) → a real BullMQ Worker → a sealed pod running only the practice checks → the
 * report served to the candidate with only those checks, in full, unscored. A second practice submission
 * past the budget is refused with 429 and Retry-After, before anything is stored.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../../api/app';
import { MongoApiKeyStore } from '../../../api/data-access/api-key-store';
import { MongoSubmissionStore } from '../../../api/data-access/submission-store';
import { createPracticeRateLimiter } from '../../../api/domain/practice-rate-limit';
import { createOrgServices, type OrgServices } from '../../../api/org-services';
import { BullMqGradeQueue } from '../../../api/queue/grade-queue';
import { loadRunnerConfig } from '../../../runner/config';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { logger } from '../../../runner/lib/logger';
import { RunnerMetrics, serveRunnerMetrics } from '../../../runner/lib/runner-metrics';
import { createGradeProcessor } from '../../../runner/worker/grade-processor';
import { SubmissionRepository } from '../../../runner/worker/submission-repository';

const MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function readFiles(dir: string, rel = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, await readFiles(dir, r));
    else out[r] = await fs.readFile(path.join(dir, r), 'utf8');
  }
  return out;
}

describe('practice through the API', () => {
  const queueName = `test-practice-${randomUUID().slice(0, 8)}`;
  const dbName = `t_${randomUUID().slice(0, 8)}`;
  let mongo: MongoClient;
  let queue: BullMqGradeQueue;
  let worker: Worker;
  let workerRedis: IORedis;
  let env: GradingEnvironment;
  let org: OrgServices;
  const metrics = new RunnerMetrics(() => 0);
  let metricsServer: Server;
  const scrape = async (): Promise<string> =>
    (await fetch(`http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`)).text();

  beforeAll(async () => {
    const quiet = logger.child({}, { level: 'warn' });
    env = await GradingEnvironment.create(loadRunnerConfig({ ...process.env }), quiet);
    mongo = await MongoClient.connect(MONGODB_URI);
    metricsServer = await serveRunnerMetrics(metrics, '127.0.0.1', 0);
    queue = new BullMqGradeQueue({ redisUrl: REDIS_URL, queueName, logger: pino({ level: 'silent' }) });
    worker = new Worker(
      queueName,
      createGradeProcessor(env, new SubmissionRepository(mongo.db(dbName)), quiet, undefined, metrics),
      {
        connection: (workerRedis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null })),
        concurrency: 1,
      },
    );
  });

  afterAll(async () => {
    metricsServer?.close();
    await worker?.close();
    await org?.dispatcher.queue.obliterate({ force: true });
    await org?.close();
    await env?.close();
    await workerRedis?.quit();
    await queue?.close();
    await mongo?.db(dbName).dropDatabase();
    await mongo?.close();
  });

  it('POST /v1/submissions mode practice runs and reports only the practice checks; the next is 429', async () => {
    const store = new MongoSubmissionStore(mongo.db(dbName));
    org = createOrgServices({
      db: mongo.db(dbName),
      catalog: env.catalog,
      redisUrl: REDIS_URL,
      logger: pino({ level: 'silent' }),
      inviteLinkBase: 'http://127.0.0.1:8080/v1/invites/',
      webhookQueueName: `test-webhooks-${randomUUID().slice(0, 8)}`,
    });
    const app = createApp({
      org,
      store,
      apiKeys: new MongoApiKeyStore(mongo.db(dbName)),
      queue,
      catalog: env.catalog,
      logger: pino({ level: 'silent' }),
      practiceLimiter: createPracticeRateLimiter({ points: 1, windowS: 600 }),
    });
    const practiceIds = env
      .challenge('orders-api')
      .manifest.checks.filter((c) => c.practice)
      .map((c) => c.id);
    const files = await readFiles(env.challenge('orders-api').starterDir);
    const graded =
      /^stackgrade_gradings_total\{challenge="orders-api",runtime="node22",status="(pass|fail)"\} 1$/m;
    expect(await scrape()).not.toMatch(graded);
    const res = await request(app)
      .post('/v1/submissions')
      .send({ challenge_id: 'orders-api', files, mode: 'practice' });
    expect(res.status).toBe(202);
    expect(res.body.mode).toBe('practice');

    const again = await request(app)
      .post('/v1/submissions')
      .send({ challenge_id: 'orders-api', files, mode: 'practice' });
    expect(again.status).toBe(429);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body.type).toBe('https://stackgrade.dev/problems/rate-limited');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);

    type Body = {
      status: string;
      report: {
        mode?: string;
        scores: { overall: number; categories: Record<string, number> };
        tests: { id: string; status: string; visibility: string; evidence?: unknown }[];
      } | null;
    };
    let body: Body = { status: 'queued', report: null };
    for (let i = 0; i < 600 && body.status !== 'completed' && body.status !== 'error'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      body = (await request(app).get(res.headers.location!)).body;
    }
    expect(body.status).toBe('completed');
    expect(body.report!.mode).toBe('practice');
    expect(body.report!.tests.map((t) => t.id)).toEqual(practiceIds);
    // Shown in full to the candidate: every practice check keeps its evidence.
    expect(body.report!.tests.every((t) => t.visibility === 'full' && t.evidence !== undefined)).toBe(true);
    expect(body.report!.scores).toEqual({ overall: 0, categories: {} });
    expect(body.report!.tests.find((t) => t.id === 'c-health')?.status).toBe('pass');
    // The runner's /metrics, scraped after the grading: the counter and the duration histogram moved.
    const after = await scrape();
    expect(after).toMatch(graded);
    expect(after).toContain(
      'stackgrade_grading_duration_seconds_count{challenge="orders-api",runtime="node22"} 1',
    );
  });
});
