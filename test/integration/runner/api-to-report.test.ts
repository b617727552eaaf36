/**
 * The main flow end to end: POST /v1/submissions (real API, MongoDB-compatible store, BullMQ on Redis) →
 * a real BullMQ Worker running the grade processor → a sealed pod → the report stored and served by
 * GET /v1/submissions/:id. Uses the starter of orders-api (it runs, and scores low).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../../api/app';
import { MongoApiKeyStore } from '../../../api/data-access/api-key-store';
import { MongoSubmissionStore } from '../../../api/data-access/submission-store';
import { issueApiKey } from '../../../api/domain/issue-api-key';
import { createOrgServices } from '../../../api/org-services';
import { BullMqGradeQueue } from '../../../api/queue/grade-queue';
import { loadRunnerConfig } from '../../../runner/config';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { logger } from '../../../runner/lib/logger';
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

describe('API → queue → runner → report', () => {
  const queueName = `test-e2e-${randomUUID().slice(0, 8)}`;
  const dbName = `t_${randomUUID().slice(0, 8)}`;
  let mongo: MongoClient;
  let queue: BullMqGradeQueue;
  let worker: Worker;
  let workerRedis: IORedis;
  let env: GradingEnvironment;

  beforeAll(async () => {
    const quiet = logger.child({}, { level: 'warn' });
    env = await GradingEnvironment.create(loadRunnerConfig({ ...process.env }), quiet);
    mongo = await MongoClient.connect(MONGODB_URI);
    queue = new BullMqGradeQueue({ redisUrl: REDIS_URL, queueName, logger: pino({ level: 'silent' }) });
    worker = new Worker(
      queueName,
      createGradeProcessor(env, new SubmissionRepository(mongo.db(dbName)), quiet),
      {
        connection: (workerRedis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null })),
        concurrency: 1,
      },
    );
  });

  afterAll(async () => {
    await worker?.close();
    await env?.close();
    await workerRedis?.quit();
    await queue?.close();
    await mongo?.db(dbName).dropDatabase();
    await mongo?.close();
  });

  it('POST /v1/submissions with the orders-api starter, when the runner grades it, serves a completed report with a low score', async () => {
    const apiKeys = new MongoApiKeyStore(mongo.db(dbName));
    const org = createOrgServices({
      db: mongo.db(dbName),
      catalog: env.catalog,
      redisUrl: REDIS_URL,
      logger: pino({ level: 'silent' }),
      inviteLinkBase: 'http://127.0.0.1/v1/invites/',
      webhookQueueName: `test-webhooks-${dbName}`,
    });
    const app = createApp({
      store: new MongoSubmissionStore(mongo.db(dbName)),
      apiKeys,
      queue,
      catalog: env.catalog,
      logger: pino({ level: 'silent' }),
      org,
    });
    const files = await readFiles(env.challenge('orders-api').starterDir);
    const res = await request(app).post('/v1/submissions').send({ challenge_id: 'orders-api', files });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/v1/submissions/${res.body.id}`);

    type Body = {
      status: string;
      view: string;
      report: {
        status: string;
        scores: { overall: number };
        tests: { id: string; status: string; evidence?: unknown }[];
      } | null;
    };
    let body: Body = { status: 'queued', view: 'candidate', report: null };
    const seen = new Set<string>();
    for (let i = 0; i < 600 && body.status !== 'completed' && body.status !== 'error'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      body = (await request(app).get(res.headers.location!)).body;
      seen.add(body.status);
    }
    expect(body.status).toBe('completed');
    expect(seen.has('running') || seen.has('completed')).toBe(true);
    expect(body.report?.status).toBe('fail');
    expect(body.report!.scores.overall).toBeLessThan(40);
    expect(body.report!.tests.find((t) => t.id === 'c-health')?.status).toBe('pass');
    expect(body.report!.tests.find((t) => t.id === 'c-order-create')?.status).toBe('fail');

    // The candidate view drops the evidence of `hint` checks; the challenge owner's API key sees it all.
    expect(body.view).toBe('candidate');
    expect(body.report!.tests.find((t) => t.id === 'c-order-create')?.evidence).toBeUndefined();
    const ownerKey = await issueApiKey(apiKeys, 'stackgrade-examples', 'e2e test');
    const owner = await request(app)
      .get(`${res.headers.location!}?view=owner`)
      .set('Authorization', `Bearer ${ownerKey.token}`);
    expect(owner.status).toBe(200);
    const full = owner.body as Body;
    expect(full.view).toBe('owner');
    expect(full.report!.scores.overall).toBe(body.report!.scores.overall);
    const failed = full.report!.tests.find((t) => t.id === 'c-order-create');
    expect(failed?.status).toBe('fail');
    expect(failed?.evidence).toBeDefined();
    const otherKey = await issueApiKey(apiKeys, 'another-company', 'e2e test');
    const other = await request(app)
      .get(`${res.headers.location!}?view=owner`)
      .set('Authorization', `Bearer ${otherKey.token}`);
    // Another organisation's key: the submission does not exist for it.
    expect(other.status).toBe(404);
    await org.close();
  });
});
