/**
 * The whole grading path in one process for integration tests: the real API app (MongoDB-compatible store,
 * BullMQ on Redis), a real BullMQ Worker running the grade processor, and a GradingEnvironment that starts
 * sealed pods. Each stack has its own queue, webhook queue and database, removed by `close()`.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import type express from 'express';
import IORedis from 'ioredis';
import { type Db, MongoClient } from 'mongodb';
import pino from 'pino';
import request from 'supertest';
import { type AppDeps, createApp } from '../../api/app';
import { MongoApiKeyStore } from '../../api/data-access/api-key-store';
import { MongoSubmissionStore } from '../../api/data-access/submission-store';
import { createOrgServices, type OrgServices } from '../../api/org-services';
import { BullMqGradeQueue } from '../../api/queue/grade-queue';
import { loadRunnerConfig } from '../../runner/config';
import { GradingEnvironment } from '../../runner/grading/grading-environment';
import { logger } from '../../runner/lib/logger';
import type { RunnerMetrics } from '../../runner/lib/runner-metrics';
import { createGradeProcessor } from '../../runner/worker/grade-processor';
import { SubmissionRepository } from '../../runner/worker/submission-repository';

const MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A running API + worker + grading environment; see {@link startApiGradingStack}. */
export interface ApiGradingStack {
  env: GradingEnvironment;
  /** The stack's own database (dropped by `close`). */
  db: Db;
  apiKeys: MongoApiKeyStore;
  org: OrgServices;
  /** The API app (supertest drives it without a port). */
  app: express.Express;
  /** Stops the worker and every client, obliterates the webhook queue and drops the database. */
  close(): Promise<void>;
}

/** Options of {@link startApiGradingStack}. */
export interface ApiGradingStackOptions {
  /** Counts gradings on the worker side when given. */
  metrics?: RunnerMetrics;
  /** Passed through to createApp (e.g. `practiceLimiter`). */
  app?: Partial<Omit<AppDeps, 'store' | 'apiKeys' | 'queue' | 'catalog' | 'org'>>;
}

/** Starts a stack against the Redis and store of `REDIS_URL` / `MONGODB_URI` (set up by `npm run setup`). */
export async function startApiGradingStack(o: ApiGradingStackOptions = {}): Promise<ApiGradingStack> {
  const tag = randomUUID().slice(0, 8);
  const quiet = logger.child({}, { level: 'warn' });
  const silent = pino({ level: 'silent' });
  const env = await GradingEnvironment.create(loadRunnerConfig({ ...process.env }), quiet);
  const mongo = await MongoClient.connect(MONGODB_URI);
  const db = mongo.db(`t_${tag}`);
  const queueName = `test-grading-${tag}`;
  const queue = new BullMqGradeQueue({ redisUrl: REDIS_URL, queueName, logger: silent });
  const workerRedis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker(
    queueName,
    createGradeProcessor(env, new SubmissionRepository(db), quiet, undefined, o.metrics),
    { connection: workerRedis, concurrency: 1 },
  );
  const org = createOrgServices({
    db,
    catalog: env.catalog,
    redisUrl: REDIS_URL,
    logger: silent,
    inviteLinkBase: 'http://127.0.0.1:8080/v1/invites/',
    webhookQueueName: `test-webhooks-${tag}`,
  });
  const apiKeys = new MongoApiKeyStore(db);
  const app = createApp({
    logger: silent,
    ...o.app,
    store: new MongoSubmissionStore(db),
    apiKeys,
    queue,
    catalog: env.catalog,
    org,
  });
  return {
    env,
    db,
    apiKeys,
    org,
    app,
    async close() {
      await worker.close();
      await org.dispatcher.queue.obliterate({ force: true });
      await org.close();
      await env.close();
      await workerRedis.quit();
      await queue.close();
      await db.dropDatabase();
      await mongo.close();
    },
  };
}

/** The submission view the API serves at `GET /v1/submissions/:id` (the fields tests read). */
export interface SubmissionBody {
  status: string;
  view: string;
  report: {
    status: string;
    mode?: string;
    scores: { overall: number; categories: Record<string, number> };
    tests: { id: string; status: string; visibility: string; evidence?: unknown }[];
  } | null;
}

/**
 * Polls `location` every 500 ms until the submission is `completed` or `error` (at most 5 min).
 * @returns the last body and every status seen on the way.
 */
export async function pollSubmission(
  app: express.Express,
  location: string,
): Promise<{ body: SubmissionBody; seen: Set<string> }> {
  let body = { status: 'queued' } as SubmissionBody;
  const seen = new Set<string>();
  for (let i = 0; i < 600 && body.status !== 'completed' && body.status !== 'error'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    body = (await request(app).get(location)).body as SubmissionBody;
    seen.add(body.status);
  }
  return { body, seen };
}
