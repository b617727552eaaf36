import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Writable, type Stream } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { MongoClient, type Db } from 'mongodb';
import pino, { type Logger } from 'pino';
import * as tar from 'tar-stream';
import { ZipFile } from 'yazl';
import type { Express, RequestHandler, Router } from 'express';
import { createOperations, type Operations } from '../../../api/operations/operations';
import { createOrgServices, type OrgServices } from '../../../api/org-services';
import type { ProgressFeed } from '../../../api/queue/progress-feed';
import type { DeliveryPolicy } from '../../../api/webhooks/delivery-queue';
import { createApp } from '../../../api/app';
import {
  ARCHIVES_COLLECTION,
  MongoSubmissionStore,
  SUBMISSIONS_COLLECTION,
  type SubmissionStore,
} from '../../../api/data-access/submission-store';
import { MongoApiKeyStore } from '../../../api/data-access/api-key-store';
import { BullMqGradeQueue } from '../../../api/queue/grade-queue';
import { ChallengeCatalog } from '../../../runner/contract/challenge-catalog';
import { tempChallengesRoot, writeChallenge } from '../../unit/api/fixtures/challenge-fixture';
import type { TrustProxy } from '../../../api/middleware/trust-proxy';

/** Connection strings of the integration services (published by the global setup, or local defaults). */
export const MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The challenge every harness serves. */
export const CHALLENGE_ID = 'hello-api';

/** Upload limit of the harness app: small, so oversize cases stay cheap. */
export const TEST_MAX_UPLOAD_BYTES = 64 * 1024;

/** A pino logger whose JSON lines are collected in `lines`. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** Wraps the real Mongo store (to inject failures). */
  wrapStore?: (store: MongoSubmissionStore) => SubmissionStore;
  /** Redis URL of the grade queue; defaults to {@link REDIS_URL}. */
  redisUrl?: string;
  /** MongoDB URI of the store; defaults to {@link MONGODB_URI}. */
  mongoUri?: string;
  /** Webhook retry policy (tests use short delays). */
  deliveryPolicy?: DeliveryPolicy;
  extraRouters?: Router[];
  /** Mounts `/metrics` and `/admin/queues` over the harness's queues (Bull Board behind `adminKey`). */
  operations?: { adminKey?: string };
  /** Per-client rate limit of /v1 (api/operations/client-rate-limit.ts). */
  rateLimiter?: RequestHandler;
  /** Express's `trust proxy` (api/middleware/trust-proxy.ts). */
  trustProxy?: TrustProxy;
  /** Live grading progress of the events stream (a test's own feed). */
  progress?: ProgressFeed;
  /** Key of reviewer sessions and embed tokens. */
  webSecret?: string;
  /** Folder of the built web app. */
  webDistDir?: string;
}

/** A running app with its real dependencies and handles to inspect their state. */
export interface Harness {
  app: Express;
  db: Db;
  /** The app's API key store (same database). */
  apiKeys: MongoApiKeyStore;
  queue: BullMqGradeQueue;
  /** Assessments, invites, webhooks (same database; the webhook queue has a unique name). */
  org: OrgServices;
  catalog: ChallengeCatalog;
  logger: Logger;
  logLines: Record<string, unknown>[];
  /** Present with the `operations` option. */
  operations?: Operations;
  /** Documents in `submissions` and `archives`, and jobs in the queue. */
  counts(): Promise<{ submissions: number; archives: number; jobs: number }>;
  close(): Promise<void>;
}

/**
 * Real MongoSubmissionStore on a fresh database (`t_<8 hex>`), real BullMqGradeQueue on a unique queue
 * name, and a real ChallengeCatalog over a temporary challenges folder holding {@link CHALLENGE_ID}.
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const root = await tempChallengesRoot();
  await writeChallenge(root, CHALLENGE_ID);
  const catalog = await ChallengeCatalog.load(root);

  const client = new MongoClient(opts.mongoUri ?? MONGODB_URI, { serverSelectionTimeoutMS: 1_000 });
  const db = client.db(`t_${randomUUID().slice(0, 8)}`);
  const mongoStore = new MongoSubmissionStore(db);
  const store = opts.wrapStore ? opts.wrapStore(mongoStore) : mongoStore;

  const { logger, lines } = captureLogger();
  const queue = new BullMqGradeQueue({
    redisUrl: opts.redisUrl ?? REDIS_URL,
    queueName: `test-${randomUUID()}`,
    enqueueTimeoutMs: 1_000,
    logger,
  });
  const apiKeys = new MongoApiKeyStore(db);
  const webhookQueueName = `test-webhooks-${randomUUID()}`;
  const org = createOrgServices({
    db,
    catalog,
    redisUrl: opts.redisUrl ?? REDIS_URL,
    logger,
    inviteLinkBase: 'http://127.0.0.1:8080/v1/invites/',
    webhookQueueName,
    ...(opts.deliveryPolicy ? { deliveryPolicy: opts.deliveryPolicy } : {}),
  });
  const operations = opts.operations
    ? createOperations(
        [
          { label: 'grading', queue: queue.queue },
          { label: 'webhooks', queue: org.dispatcher.queue },
        ],
        opts.operations.adminKey,
      )
    : undefined;
  const extraRouters = [...(opts.extraRouters ?? []), ...(operations?.routers ?? [])];
  const app = createApp({
    store,
    apiKeys,
    queue,
    catalog,
    logger,
    maxUploadBytes: TEST_MAX_UPLOAD_BYTES,
    org,
    extraRouters,
    ...(operations ? { requestObserver: operations.observer } : {}),
    ...(opts.rateLimiter ? { rateLimiter: opts.rateLimiter } : {}),
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
    ...(opts.webSecret ? { webSecret: opts.webSecret } : {}),
    ...(opts.webDistDir ? { webDistDir: opts.webDistDir } : {}),
  });
  const queueUp = opts.redisUrl === undefined;
  const storeUp = opts.mongoUri === undefined;

  return {
    app,
    db,
    apiKeys,
    queue,
    org,
    catalog,
    logger,
    logLines: lines,
    ...(operations ? { operations } : {}),
    async counts() {
      const [submissions, archives, jobCounts] = await Promise.all([
        db.collection(SUBMISSIONS_COLLECTION).countDocuments(),
        db.collection(ARCHIVES_COLLECTION).countDocuments(),
        queue.queue.getJobCounts(),
      ]);
      const jobs = Object.values(jobCounts).reduce((a, b) => a + b, 0);
      return { submissions, archives, jobs };
    },
    async close() {
      if (queueUp) await queue.queue.obliterate({ force: true });
      await queue.close();
      if (queueUp) await org.dispatcher.queue.obliterate({ force: true });
      await org.close();
      if (storeUp) await db.dropDatabase();
      await client.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Raw tar entry for {@link makeTarGz}: a file, or any other header (for hostile archives). */
export type TarEntry =
  { name: string; content: string } | { header: Partial<tar.Header> & Pick<tar.Header, 'name'> };

/** A gzip-compressed tar of the given entries (names are written as given, `../x` included). */
export async function makeTarGz(entries: TarEntry[] | Record<string, string>): Promise<Buffer> {
  const list: TarEntry[] = Array.isArray(entries)
    ? entries
    : Object.entries(entries).map(([name, content]) => ({ name, content }));
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of list) {
    if ('header' in e) pack.entry(e.header);
    else pack.entry({ name: e.name, mode: 0o644, mtime: new Date(0) }, e.content);
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A zip of the given files. */
export async function makeZip(files: Record<string, string>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Every regular file of a tar.gz: path → UTF-8 content. */
export async function untarGz(data: Buffer): Promise<Record<string, string>> {
  const extract = tar.extract();
  const files: Record<string, string> = {};
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      if (header.type === 'file')
        files[header.name.replace(/^\.\//, '')] = Buffer.concat(chunks).toString('utf8');
      next();
    });
    stream.resume();
  });
  extract.end(gunzipSync(data));
  await done;
  return files;
}

/** The value of one sample of a Prometheus text exposition (`name{labels}` as written), or undefined when absent. */
export function metricSample(text: string, sample: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return found === undefined ? undefined : Number(found.slice(sample.length + 1));
}

/** Collects a supertest binary response body as a Buffer. */
export function binaryParser(res: Stream, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
  res.on('error', (err: Error) => callback(err, Buffer.alloc(0)));
}

/** A solution's files that pass validation. */
export const VALID_FILES: Record<string, string> = {
  'package.json': '{ "name": "solution", "version": "1.0.0", "scripts": { "start": "node src/index.js" } }\n',
  'src/index.js': "require('node:http').createServer((q, s) => s.end('hi')).listen(process.env.PORT);\n",
};
