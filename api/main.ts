import { once } from 'node:events';
import { createServer } from 'node:http';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { ChallengeCatalog } from '../runner/contract/challenge-catalog';
import { createApp } from './app';
import { loadConfig } from './config';
import { MongoApiKeyStore } from './data-access/api-key-store';
import { MongoSubmissionStore } from './data-access/submission-store';
import { BullMqGradeQueue } from './queue/grade-queue';

/** How long in-flight requests may run after SIGTERM/SIGINT before their connections are cut, ms. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Starts the API: loadConfig → challenge catalog → MongoDB (must answer) → grade queue (Redis may come
 * later: enqueue failures leave submissions `queued` for the reconciler) → listen. SIGTERM/SIGINT stop
 * accepting connections, drain in-flight requests, then close the queue and MongoDB.
 */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
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

  const app = createApp({ store, apiKeys, queue, catalog, logger, maxUploadBytes: config.MAX_UPLOAD_BYTES });
  const server = createServer(app);
  server.listen(config.API_PORT, config.API_HOST);
  await once(server, 'listening');
  logger.info({ host: config.API_HOST, port: config.API_PORT }, 'api listening');

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: draining HTTP');
    const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    clearTimeout(force);
    await queue.close().catch((err: unknown) => logger.warn({ err }, 'closing the grade queue failed'));
    await mongo.close().catch((err: unknown) => logger.warn({ err }, 'closing MongoDB failed'));
    logger.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    pino().fatal({ err }, 'api failed to start');
    process.exit(1);
  });
}
