import express, { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../runner/contract/app-error';
import { requireKey } from '../middleware/authenticate';
import { methodNotAllowed } from '../middleware/error-handler';
import { parseOrThrow } from '../schemas/parse';
import { webhookCreateSchema, type WebhookView } from '../schemas/webhook.schema';
import type { WebhookDispatcher } from '../webhooks/delivery-queue';
import { generateWebhookSecret } from '../webhooks/signature';
import type { DeliveryDocument, WebhookDocument, WebhookStore } from '../webhooks/webhook-store';

/** How long a rotated-out secret keeps signing beside the new one, ms (24 h). */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

function toView(w: WebhookDocument): WebhookView {
  const self = `/v1/webhooks/${w._id}`;
  return {
    id: w._id,
    url: w.url,
    events: w.events,
    created_at: w.created_at.toISOString(),
    links: { self, deliveries: `${self}/deliveries` },
  };
}

function toDeliveryView(d: DeliveryDocument) {
  return {
    id: d._id,
    type: d.type,
    status: d.status,
    created_at: d.created_at.toISOString(),
    delivered_at: d.delivered_at?.toISOString() ?? null,
    attempts: d.attempts.map((a) => ({ ...a, at: a.at.toISOString() })),
    body: d.body,
  };
}

/**
 * Webhook routes, all with scope `webhooks:write` and scoped to the key's organisation (another
 * organisation's webhook is 404): `POST|GET /v1/webhooks`, `GET|DELETE /v1/webhooks/:id`,
 * `POST /v1/webhooks/:id/rotate-secret` (new secret; the old one signs too for {@link SECRET_OVERLAP_MS}),
 * `GET /v1/webhooks/:id/deliveries` (newest first, at most 100) and
 * `POST /v1/webhooks/:id/deliveries/:delivery_id/redeliver` (202).
 */
export function webhooksRouter(store: WebhookStore, dispatcher: WebhookDispatcher): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });

  const owned = async (organisation: string, id: string): Promise<WebhookDocument> => {
    const hook = await store.find(organisation, id);
    if (!hook) throw new AppError('WEBHOOK_NOT_FOUND', `webhook ${id} does not exist`);
    return hook;
  };

  router
    .route('/v1/webhooks')
    .post(json, async (req, res) => {
      const key = requireKey(res, 'webhooks:write');
      const body = parseOrThrow(webhookCreateSchema, req.body, 'the request body');
      const now = new Date();
      const secret = generateWebhookSecret();
      const doc: WebhookDocument = {
        _id: randomUUID(),
        organisation: key.organisation,
        url: body.url,
        events: [...new Set(body.events)],
        secrets: [{ secret, created_at: now, expires_at: null }],
        created_at: now,
      };
      await store.insert(doc);
      res
        .status(201)
        .location(`/v1/webhooks/${doc._id}`)
        .set('Cache-Control', 'no-store')
        .json({ ...toView(doc), secret });
    })
    .get(async (_req, res) => {
      const key = requireKey(res, 'webhooks:write');
      res.json({ data: (await store.list(key.organisation)).map(toView) });
    })
    .all(methodNotAllowed('GET', 'POST'));

  router
    .route('/v1/webhooks/:id')
    .get(async (req, res) => {
      const key = requireKey(res, 'webhooks:write');
      res.json(toView(await owned(key.organisation, req.params.id)));
    })
    .delete(async (req, res) => {
      const key = requireKey(res, 'webhooks:write');
      if (!(await store.delete(key.organisation, req.params.id))) {
        throw new AppError('WEBHOOK_NOT_FOUND', `webhook ${req.params.id} does not exist`);
      }
      res.status(204).end();
    })
    .all(methodNotAllowed('GET', 'DELETE'));

  router
    .route('/v1/webhooks/:id/rotate-secret')
    .post(async (req, res) => {
      const key = requireKey(res, 'webhooks:write');
      const hook = await owned(key.organisation, req.params.id);
      const now = new Date();
      const secret = generateWebhookSecret();
      const overlapEnd = new Date(now.getTime() + SECRET_OVERLAP_MS);
      const kept = hook.secrets
        .filter((s) => s.expires_at === null || s.expires_at > now)
        .map((s) => ({
          ...s,
          expires_at: s.expires_at && s.expires_at < overlapEnd ? s.expires_at : overlapEnd,
        }));
      await store.setSecrets(key.organisation, hook._id, [
        { secret, created_at: now, expires_at: null },
        ...kept,
      ]);
      res.set('Cache-Control', 'no-store').json({ ...toView(hook), secret });
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/v1/webhooks/:id/deliveries')
    .get(async (req, res) => {
      const key = requireKey(res, 'webhooks:write');
      const hook = await owned(key.organisation, req.params.id);
      res.json({ data: (await store.listDeliveries(hook._id, 100)).map(toDeliveryView) });
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/v1/webhooks/:id/deliveries/:delivery_id/redeliver')
    .post(async (req, res) => {
      const key = requireKey(res, 'webhooks:write');
      const hook = await owned(key.organisation, req.params.id);
      const delivery = await store.findDelivery(req.params.delivery_id);
      if (!delivery || delivery.webhook_id !== hook._id) {
        throw new AppError('WEBHOOK_NOT_FOUND', `delivery ${req.params.delivery_id} does not exist`);
      }
      await dispatcher.redeliver(delivery._id);
      res.status(202).json(toDeliveryView({ ...delivery, status: 'pending' }));
    })
    .all(methodNotAllowed('POST'));

  return router;
}
