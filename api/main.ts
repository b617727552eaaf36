import cluster from 'node:cluster';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { MongoClient } from 'mongodb';
import pino, { type Logger } from 'pino';
import { ChallengeCatalog } from '../runner/contract/challenge-catalog';
import { createApp } from './app';
import { runClusterPrimary } from './cluster-primary';
import { loadConfig, type ApiConfig } from './config';
import { MongoApiKeyStore } from './data-access/api-key-store';
import { MongoSubmissionStore } from './data-access/submission-store';
import { LIFECYCLE_SWEEP_INTERVAL_MS, sweepInvites } from './domain/lifecycle-sweep';
import { createOrgServices, type OrgServices } from './org-services';
import { BullMqGradeQueue } from './queue/grade-queue';
import { BullMqProgressFeed } from './queue/progress-feed';
import { startDeliveryWorker } from './webhooks/delivery-worker';
import { createPracticeRateLimiter } from './domain/practice-rate-limit';
import { clientRateLimit } from './operations/client-rate-limit';
import { answerClusterMetrics } from './operations/cluster-metrics';
import { createOperations } from './operations/operations';
import Redis from 'ioredis';

/** How long in-flight requests may run after SIGTERM/SIGINT before their connections are cut, ms. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Starts the API: with `API_WORKERS` = 1 (default) this process serves HTTP itself ({@link serve}); with more
 * it becomes the primary of that many worker processes (node:cluster, {@link runClusterPrimary}), each of
 * which runs {@link serve}. Resolves once listening (single process or worker); a primary exits the process
 * with its exit code when it stops.
 *
 * @throws AppError `CONFIG_INVALID` (config), or what {@link serve} throws.
 */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  if (config.API_WORKERS > 1 && cluster.isPrimary) {
    // A worker's /metrics asks the primary for the sum over every worker.
    const stopMetrics = answerClusterMetrics(logger.child({ role: 'primary' }));
    const code = await runClusterPrimary(
      {
        workers: config.API_WORKERS,
        host: config.API_HOST,
        port: config.API_PORT,
        drainTimeoutMs: DRAIN_TIMEOUT_MS,
      },
      logger.child({ role: 'primary' }),
    );
    stopMetrics();
    process.exit(code);
  }
  await serve(config, cluster.isWorker ? logger.child({ worker: cluster.worker?.id }) : logger);
}

/**
 * Serves the API in this process: challenge catalog → MongoDB (must answer) → grade queue (Redis may come
 * later: enqueue failures leave submissions `queued` for the reconciler) → listen. SIGTERM stops accepting
 * connections, drains in-flight requests (at most {@link DRAIN_TIMEOUT_MS}), then closes the queue and
 * MongoDB and exits 0; a second SIGINT exits at once with 1. As a cluster worker it logs `api worker listening`, leaves SIGINT to its primary (a
 * terminal's Ctrl-C reaches the whole process group) and drains as well when the primary is gone.
 *
 * @throws when the catalog cannot be loaded or MongoDB does not answer within 5 s.
 */
export async function serve(config: ApiConfig, logger: Logger): Promise<void> {
  const catalog = await ChallengeCatalog.load(config.CHALLENGES_DIR);
  logger.info(
    { root: catalog.root, challenges: catalog.list().map((c) => c.id) },
    'challenge catalog loaded',
  );

  const mongo = new MongoClient(config.MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
  await mongo.connect();
  const store = new MongoSubmissionStore(mongo.db(config.MONGODB_DB));
  const apiKeys = new MongoApiKeyStore(mongo.db(config.MONGODB_DB));
  const queue = new BullMqGradeQueue({ redisUrl: config.REDIS_URL, queueName: config.QUEUE_NAME, logger });

  const progress = new BullMqProgressFeed({
    redisUrl: config.REDIS_URL,
    queueName: config.QUEUE_NAME,
    logger,
  });
  if (!config.WEB_SECRET)
    logger.warn('WEB_SECRET is not set: reviewer sessions and embed tokens end with this process');
  const org = createOrgServices({
    db: mongo.db(config.MONGODB_DB),
    catalog,
    redisUrl: config.REDIS_URL,
    logger,
    inviteLinkBase: config.INVITE_LINK_BASE,
    webhookQueueName: config.WEBHOOK_QUEUE_NAME,
  });
  await org.ensureIndexes();
  const operations = createOperations(
    [
      { label: 'grading', queue: queue.queue },
      { label: 'webhooks', queue: org.dispatcher.queue },
    ],
    config.ADMIN_API_KEY,
  );
  const background = config.WEBHOOK_WORKER
    ? startOrgBackground(org, config, logger, (outcome) =>
        operations.metrics.webhookDeliveries.inc({ outcome }),
      )
    : null;
  // Both rate limits count in Redis, shared by every API process: practice budgets (rate-limiter-flexible,
  // with an in-process count while Redis does not answer) and per-client request budgets (express-rate-limit,
  // letting requests pass while Redis does not answer).
  const limiterRedis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  limiterRedis.on('error', (err: Error) => logger.debug({ err }, 'rate limit: Redis error'));
  const practiceLimiter = createPracticeRateLimiter(
    { points: config.PRACTICE_RATE_LIMIT, windowS: config.PRACTICE_RATE_WINDOW_S },
    limiterRedis,
  );
  const app = createApp({
    store,
    apiKeys,
    queue,
    catalog,
    logger,
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    trustProxy: config.TRUST_PROXY,
    progress,
    ...(config.WEB_SECRET ? { webSecret: config.WEB_SECRET } : {}),
    ...(config.WEB_DIST_DIR ? { webDistDir: config.WEB_DIST_DIR } : {}),
    org,
    practiceLimiter,
    rateLimiter: clientRateLimit(
      { limit: config.RATE_LIMIT, windowS: config.RATE_LIMIT_WINDOW_S },
      limiterRedis,
    ),
    extraRouters: operations.routers,
    requestObserver: operations.observer,
  });
  const server = createServer(app);
  server.listen(config.API_PORT, config.API_HOST);
  await once(server, 'listening');
  logger.info(
    { host: config.API_HOST, port: config.API_PORT },
    cluster.isWorker ? 'api worker listening' : 'api listening',
  );

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals | 'disconnect'): Promise<void> => {
    stopping = true;
    logger.info({ signal }, 'shutting down: draining HTTP');
    const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    clearTimeout(force);
    await queue.close().catch((err: unknown) => logger.warn({ err }, 'closing the grade queue failed'));
    await progress.close().catch((err: unknown) => logger.warn({ err }, 'closing the progress feed failed'));
    await background
      ?.close()
      .catch((err: unknown) => logger.warn({ err }, 'closing the webhook worker failed'));
    await org.close().catch((err: unknown) => logger.warn({ err }, 'closing the webhook queue failed'));
    limiterRedis.disconnect();
    await mongo.close().catch((err: unknown) => logger.warn({ err }, 'closing MongoDB failed'));
    logger.info('stopped');
  };
  const stop = (signal: NodeJS.Signals | 'disconnect'): void => {
    if (stopping) {
      // Only a second Ctrl-C forces the exit: a repeated SIGTERM (a wrapper's and its process group's, or the
      // primary's and the group's for a cluster worker) leaves the drain running.
      if (signal !== 'SIGINT') return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    shutdown(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (cluster.isWorker) {
    process.on('SIGINT', () => logger.debug('SIGINT left to the primary'));
    // The IPC channel closes when the primary is gone (killed): drain and exit instead of serving alone.
    process.on('disconnect', () => stop('disconnect'));
  } else {
    process.on('SIGINT', () => stop('SIGINT'));
  }
}

/**
 * The API's background work: the webhook delivery worker (each attempt's outcome to `onAttempt`, the metrics) and, every {@link LIFECYCLE_SWEEP_INTERVAL_MS}, the
 * sweep of expired invites and timed-out sessions ({@link sweepInvites}). Resolves nothing; `close` stops both.
 */
function startOrgBackground(
  org: OrgServices,
  config: ApiConfig,
  logger: Logger,
  onAttempt: (outcome: 'delivered' | 'failed' | 'retry') => void,
): { close: () => Promise<void> } {
  const worker = startDeliveryWorker({
    store: org.webhookStore,
    redisUrl: config.REDIS_URL,
    queueName: config.WEBHOOK_QUEUE_NAME,
    logger,
    onAttempt,
  });
  const sweep = setInterval(() => {
    sweepInvites({ invites: org.invites, assessments: org.assessments, events: org.dispatcher }).catch(
      (err: unknown) => logger.warn({ err }, 'invite sweep failed'),
    );
  }, LIFECYCLE_SWEEP_INTERVAL_MS);
  sweep.unref();
  return {
    close: async () => {
      clearInterval(sweep);
      await worker.close();
    },
  };
}

if (require.main === module) {
  main().catch((err: unknown) => {
    pino().fatal({ err }, 'api failed to start');
    process.exit(1);
  });
}
