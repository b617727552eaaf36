import { z } from 'zod';

/**
 * Events an organisation can subscribe a webhook to:
 * - `submission.completed`: a submission of the organisation was graded (any verdict);
 * - `submission.failed`: the platform could not grade it (status `error`);
 * - `assessment.completed`: a candidate's assessment ended (finished, out of time or out of attempts);
 * - `invite.expired`: an invite's token expired unused.
 */
export const WEBHOOK_EVENT_TYPES = [
  'submission.completed',
  'submission.failed',
  'assessment.completed',
  'invite.expired',
] as const;

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** Publishes an organisation's event to its subscribed webhooks. Never throws for a missing subscriber. */
export interface EventPublisher {
  /**
   * Records one event (one delivery per subscribed webhook) and queues its deliveries.
   *
   * @throws AppError `STORE_UNAVAILABLE` when the delivery log cannot be written.
   */
  publish(organisation: string, type: WebhookEventType, data: Record<string, unknown>): Promise<void>;
}
