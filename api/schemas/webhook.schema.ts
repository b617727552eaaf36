import { z } from 'zod';
import { webhookEventTypeSchema } from '../webhooks/event-types';

/** Body of `POST /v1/webhooks`: an http(s) URL and the events to send to it. */
export const webhookCreateSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2048),
  events: z.array(webhookEventTypeSchema).min(1),
});
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

/** A webhook as listed (never with its secrets). */
export const webhookViewSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(webhookEventTypeSchema),
    created_at: z.string(),
    links: z.object({ self: z.string(), deliveries: z.string() }),
  })
  .meta({ id: 'Webhook' });
export type WebhookView = z.infer<typeof webhookViewSchema>;

/** A webhook just created, or whose secret was rotated: the only responses that carry the signing secret. */
export const webhookWithSecretSchema = webhookViewSchema.extend({
  /** `whsec_…` (Standard Webhooks); verify `webhook-signature` with it. */
  secret: z.string(),
});

export const webhookListViewSchema = z.object({ data: z.array(webhookViewSchema) });

/** One entry of a webhook's delivery log. */
export const deliveryViewSchema = z
  .object({
    id: z.string(),
    type: webhookEventTypeSchema,
    status: z.enum(['pending', 'delivered', 'failed']),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
    attempts: z.array(
      z.object({
        at: z.string(),
        status: z.number().int().nullable(),
        error: z.string().nullable(),
        duration_ms: z.number(),
      }),
    ),
    /** The JSON body sent. */
    body: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

export const deliveryListViewSchema = z.object({ data: z.array(deliveryViewSchema) });
