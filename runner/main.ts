/**
 * The runner process: loads its config, builds missing images, reaps leftovers, then consumes grading jobs
 * with a BullMQ Worker (RUNNER_CONCURRENCY pods at once), reconciles stuck submissions and reaps expired pod
 * containers and the work folders of dead gradings on intervals. SIGTERM/SIGINT: stop taking jobs, abort
 * running pods, close connections.
 */
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { MongoClient } from 'mongodb';
import { apiEnvSchema } from '../api/config';
import { createOrgServices } from '../api/org-services';
import { loadRunnerConfig } from './config';
import { GradingEnvironment } from './grading/grading-environment';
import { claimWorkerRoot, reapWorkFolders, workerRoot } from './grading/work-folders';
import { logger } from './lib/logger';
import { RunnerMetrics, serveRunnerMetrics } from './lib/runner-metrics';
import { reapContainers } from './sandbox/reaper';
import { EngineWatch } from './worker/engine-watch';
import { createGradeProcessor } from './worker/grade-processor';
import { LeaderLease, reconcilerLeaseKey } from './worker/leader-lease';
import { orphanSweepSchedule } from './worker/archive-sweeper';
import { reconcilerPass } from './worker/reconciler';
import { SubmissionRepository } from './worker/submission-repository';

async function main(): Promise<void> {
  const config = loadRunnerConfig();
  const env = await GradingEnvironment.create(config, logger);
  await reapContainers(env.ctx.docker, logger, { worker: config.WORKER_ID });
  // The work folders of a previous process with this worker id, whose containers were just removed.
  await claimWorkerRoot(config.STACKGRADE_HOME, config.WORKER_ID, logger);
  const reapWork = (): Promise<number> =>
    reapWorkFolders(env.ctx.docker, config.STACKGRADE_HOME, logger, {
      // A cold grading installs the solution's and the reference's dependencies, then runs its pod.
      maxRunMs: 2 * config.INSTALL_TIMEOUT_MS + config.SANDBOX_MAX_WALL_MS + 600_000,
      ownRoot: workerRoot(config.STACKGRADE_HOME, config.WORKER_ID),
    });
  await reapWork();
  // Warm pods fill in the background, after the reaper so it cannot remove them.
  const metrics = new RunnerMetrics(() => env.ctx.pool?.readyTotal() ?? 0);
  // A busy port (a second runner on this host with the same RUNNER_METRICS_PORT) costs the metrics, not the runner.
  const metricsServer =
    config.RUNNER_METRICS_PORT > 0
      ? await serveRunnerMetrics(metrics, config.RUNNER_METRICS_HOST, config.RUNNER_METRICS_PORT).catch(
          (err: unknown) => {
            logger.error(
              { err: String(err), port: config.RUNNER_METRICS_PORT },
              'runner metrics not served: set another RUNNER_METRICS_PORT',
            );
            return null;
          },
        )
      : null;
  await env.startWarmPool(config.WARM_PODS, config.WARM_POD_MAX_AGE_MS, (ms) =>
    metrics.podStart.observe({ source: 'warm' }, ms / 1000),
  );
  const mongo = await MongoClient.connect(config.MONGODB_URI, { serverSelectionTimeoutMS: 10_000 });
  const repo = new SubmissionRepository(mongo.db(config.MONGODB_DB));
  const released = await repo.releaseWorker(config.WORKER_ID);
  if (released.length)
    logger.warn({ released }, 'gave back the leases of submissions this worker id held when it died');
  const connection = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(config.QUEUE_NAME, { connection });
  const workerConnection = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
  // Finished submissions publish their webhook events (submission.completed/failed, assessment.completed).
  const org = createOrgServices({
    db: mongo.db(config.MONGODB_DB),
    catalog: env.catalog,
    redisUrl: config.REDIS_URL,
    logger,
    inviteLinkBase: '',
    webhookQueueName: apiEnvSchema.shape.WEBHOOK_QUEUE_NAME.parse(process.env.WEBHOOK_QUEUE_NAME),
  });
  // The API serves the public key (GET /v1/signing-key) so reports can be verified off this host.
  await org.signingKeys.publish(
    env.signingKey.keyId,
    env.signingKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  logger.info({ keyId: env.signingKey.keyId, file: env.signingKey.file }, 'reports are signed with this key');
  const processor = createGradeProcessor(env, repo, logger, (id) => org.submissionFinished(id), metrics);
  const worker = new Worker(config.QUEUE_NAME, processor, {
    connection: workerConnection,
    concurrency: config.RUNNER_CONCURRENCY,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.STALLED_INTERVAL_MS,
    maxStalledCount: 1,
  });
  worker.on('error', (err) => logger.error({ err: String(err) }, 'worker error'));
  // A runner whose engine died would lease submissions only to fail them: it waits for the engine instead.
  const engineWatch = new EngineWatch({
    docker: env.ctx.docker,
    worker,
    log: logger,
    intervalMs: config.ENGINE_CHECK_INTERVAL_MS,
    timeoutMs: config.ENGINE_CHECK_INTERVAL_MS,
  });
  engineWatch.start();
  queue.on('error', (err) => logger.error({ err: String(err) }, 'queue error'));
  // One pass at a time: while Redis is down a pass waits in ioredis' offline queue, and passes piling up
  // behind it would all resume together and race (one removing the job another just re-added). Across
  // runners, only the holder of the Redis leader lease acts; it lasts three intervals without renewal.
  const lease = new LeaderLease(
    connection,
    reconcilerLeaseKey(config.QUEUE_NAME),
    3 * config.RECONCILE_INTERVAL_MS,
    config.WORKER_ID,
  );
  const sweepDue = orphanSweepSchedule();
  let reconciling = false;
  const reconcile = setInterval(() => {
    if (reconciling) return;
    reconciling = true;
    reconcilerPass({ repo, queue, lease, graceMs: config.QUEUED_GRACE_MS, log: logger, sweepDue })
      .catch((err: unknown) => logger.error({ err: String(err) }, 'reconcile failed'))
      .finally(() => {
        reconciling = false;
      });
  }, config.RECONCILE_INTERVAL_MS);
  // Containers past their deadline, then the work folders and candidate slots of dead gradings.
  const reap = setInterval(
    () => void reapContainers(env.ctx.docker, logger).then(reapWork),
    config.REAPER_INTERVAL_MS,
  );
  logger.info(
    {
      worker: config.WORKER_ID,
      concurrency: config.RUNNER_CONCURRENCY,
      warmPods: config.WARM_PODS,
      metricsPort: config.RUNNER_METRICS_PORT || null,
    },
    'runner started',
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'runner stopping');
    clearInterval(reconcile);
    clearInterval(reap);
    engineWatch.stop();
    const forced = setTimeout(() => worker.cancelAllJobs('runner shutting down'), 5_000);
    await Promise.all([worker.close(), env.stopWarmPool()]);
    clearTimeout(forced);
    await env.close();
    await lease.release().catch(() => undefined);
    await queue.close();
    await org.close();
    await connection.quit().catch(() => undefined);
    await workerConnection.quit().catch(() => undefined);
    await mongo.close();
    metricsServer?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  logger.fatal({ err: String(err) }, 'runner failed to start');
  process.exit(1);
});
