import { randomUUID } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { EventPublisher, WebhookEventType } from './event-types';
import type { WebhookStore } from './webhook-store';

/** Default BullMQ queue of webhook deliveries. */
export const WEBHOOK_QUEUE = 'stackgrade-webhooks';

/** Job data of a delivery job: the delivery's id only (the body lives in the delivery log). */
export interface DeliveryJob {
  deliveryId: string;
}

/**
 * Retry policy of a delivery: exponential backoff from `baseDelayMs` (delay before retry n is
 * `baseDelayMs · 2^(n-1)`, BullMQ's `exponential` backoff). The defaults, 16 attempts from 1 s, wait
 * about 9 hours in total before giving up, so a receiver down for an hour loses nothing.
 */
export interface DeliveryPolicy {
  attempts: number;
  baseDelayMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { attempts: 16, baseDelayMs: 1_000 };

/** BullMQ job options of a delivery job under a policy. */
export function deliveryJobOptions(policy: DeliveryPolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.baseDelayMs },
    removeOnComplete: 1_000,
    removeOnFail: 1_000,
  };
}

/** Options of {@link WebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  store: WebhookStore;
  redisUrl: string;
  queueName?: string;
  policy?: DeliveryPolicy;
  logger?: Logger;
}

/**
 * Publishes events (an {@link EventPublisher}): one delivery per subscribed webhook is written to the
 * delivery log first, then queued, so a queue outage leaves a `pending` delivery that a redelivery can send.
 */
export class WebhookDispatcher implements EventPublisher {
  readonly queue: Queue<DeliveryJob>;
  private readonly policy: DeliveryPolicy;

  constructor(private readonly opts: WebhookDispatcherOptions) {
    this.policy = opts.policy ?? DEFAULT_DELIVERY_POLICY;
    this.queue = new Queue<DeliveryJob>(opts.queueName ?? WEBHOOK_QUEUE, {
      connection: { url: opts.redisUrl, maxRetriesPerRequest: 1 },
    });
    this.queue.on('error', (err: Error) => opts.logger?.warn({ err }, 'webhook queue connection error'));
  }

  async publish(organisation: string, type: WebhookEventType, data: Record<string, unknown>): Promise<void> {
    const hooks = await this.opts.store.subscribers(organisation, type);
    const now = new Date();
    for (const hook of hooks) {
      const id = `msg_${randomUUID()}`;
      const body = JSON.stringify({ type, timestamp: now.toISOString(), data });
      await this.opts.store.insertDelivery({
        _id: id,
        webhook_id: hook._id,
        organisation,
        type,
        body,
        status: 'pending',
        attempts: [],
        created_at: now,
        delivered_at: null,
      });
      await this.enqueue(id, id);
    }
  }

  /** Queues a delivery again (a redelivery asked for by its organisation); the `webhook-id` stays the same. */
  async redeliver(deliveryId: string): Promise<void> {
    await this.opts.store.reopen(deliveryId);
    await this.enqueue(deliveryId, `${deliveryId}-r${randomUUID()}`);
  }

  private async enqueue(deliveryId: string, jobId: string): Promise<void> {
    try {
      await this.queue.add('deliver', { deliveryId }, { ...deliveryJobOptions(this.policy), jobId });
    } catch (err) {
      this.opts.logger?.warn(
        { err, delivery_id: deliveryId },
        'could not queue a webhook delivery; it stays pending',
      );
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
