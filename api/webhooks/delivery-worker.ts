import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { WEBHOOK_QUEUE, type DeliveryJob } from './delivery-queue';
import { signatureHeader } from './signature';
import type { WebhookStore } from './webhook-store';

/** How long one delivery request may take before it counts as failed, ms. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** Options of {@link startDeliveryWorker}. */
export interface DeliveryWorkerOptions {
  store: WebhookStore;
  redisUrl: string;
  queueName?: string;
  logger: Logger;
  /** Parallel deliveries; default 4. */
  concurrency?: number;
  /** Counts each attempt's outcome (metrics); optional. */
  onAttempt?: (outcome: 'delivered' | 'failed' | 'retry') => void;
}

/**
 * Sends one delivery: POSTs its JSON body with the Standard Webhooks headers `webhook-id` (the delivery id,
 * the same on every retry), `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`
 * (signed with every unexpired secret). A 2xx answer delivers it; anything else is logged as an attempt and
 * thrown, for BullMQ to retry with exponential backoff. Redirects are not followed (an answer, not a 2xx).
 */
export function createDeliveryProcessor(opts: DeliveryWorkerOptions) {
  return async (job: Job<DeliveryJob>): Promise<string> => {
    const delivery = await opts.store.findDelivery(job.data.deliveryId);
    if (!delivery) throw new UnrecoverableError(`delivery ${job.data.deliveryId} does not exist`);
    if (delivery.status === 'delivered') return 'already delivered';
    const hook = await opts.store.findById(delivery.webhook_id);
    if (!hook) {
      await opts.store.recordAttempt(
        delivery._id,
        { at: new Date(), status: null, error: 'the webhook was deleted', duration_ms: 0 },
        'failed',
      );
      throw new UnrecoverableError('the webhook was deleted');
    }
    const now = new Date();
    const timestamp = Math.floor(now.getTime() / 1000);
    const secrets = hook.secrets
      .filter((s) => s.expires_at === null || s.expires_at > now)
      .map((s) => s.secret);
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Stackgrade-Webhooks',
          'webhook-id': delivery._id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(secrets, delivery._id, timestamp, delivery.body),
        },
        body: delivery.body,
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const attempt = { at: now, status, error, duration_ms: Date.now() - started };
    await opts.store.recordAttempt(delivery._id, attempt, ok ? 'delivered' : last ? 'failed' : 'pending');
    opts.onAttempt?.(ok ? 'delivered' : last ? 'failed' : 'retry');
    if (!ok) throw new Error(`delivery ${delivery._id}: ${status ?? error}`);
    return 'delivered';
  };
}

/** Starts a BullMQ worker delivering webhooks; close it with `worker.close()`. */
export function startDeliveryWorker(opts: DeliveryWorkerOptions): Worker<DeliveryJob> {
  const worker = new Worker<DeliveryJob>(opts.queueName ?? WEBHOOK_QUEUE, createDeliveryProcessor(opts), {
    connection: { url: opts.redisUrl, maxRetriesPerRequest: null },
    concurrency: opts.concurrency ?? 4,
  });
  worker.on('error', (err) => opts.logger.warn({ err }, 'webhook worker error'));
  worker.on('failed', (job, err) =>
    opts.logger.info(
      { delivery_id: job?.data.deliveryId, err: err.message },
      'webhook delivery attempt failed',
    ),
  );
  return worker;
}
