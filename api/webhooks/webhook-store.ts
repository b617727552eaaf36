import type { Collection, Db } from 'mongodb';
import { guardStore } from '../data-access/store-guard';
import type { WebhookEventType } from './event-types';

/** Collections of webhooks and their delivery log. */
export const WEBHOOKS_COLLECTION = 'webhooks';
export const DELIVERIES_COLLECTION = 'webhook_deliveries';

/**
 * A webhook endpoint of an organisation. Signing secrets are kept in clear: HMAC needs the key itself (the
 * store is the API's own database, like the report evidence it holds).
 */
export interface WebhookDocument {
  /** UUID v4. */
  _id: string;
  organisation: string;
  url: string;
  events: WebhookEventType[];
  /** Newest first. A rotated-out secret keeps signing until `expires_at`. */
  secrets: { secret: string; created_at: Date; expires_at: Date | null }[];
  created_at: Date;
}

/** One delivery attempt: the HTTP status received, or the network error. */
export interface DeliveryAttempt {
  at: Date;
  status: number | null;
  error: string | null;
  /** Wall time of the request, ms. */
  duration_ms: number;
}

/** One message to one webhook: its id is the `webhook-id` header, the same on every retry and redelivery. */
export interface DeliveryDocument {
  /** `msg_<uuid>`. */
  _id: string;
  webhook_id: string;
  organisation: string;
  type: WebhookEventType;
  /** The exact JSON body sent (and signed). */
  body: string;
  /** `pending` until a 2xx answer (`delivered`) or every attempt failed (`failed`). */
  status: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  created_at: Date;
  delivered_at: Date | null;
}

/** Webhooks and deliveries in MongoDB. Every method throws AppError `STORE_UNAVAILABLE` when the store fails. */
export class WebhookStore {
  readonly webhooks: Collection<WebhookDocument>;
  readonly deliveries: Collection<DeliveryDocument>;

  constructor(db: Db) {
    this.webhooks = db.collection<WebhookDocument>(WEBHOOKS_COLLECTION);
    this.deliveries = db.collection<DeliveryDocument>(DELIVERIES_COLLECTION);
  }

  insert(doc: WebhookDocument): Promise<void> {
    return guardStore('insert webhook', async () => {
      await this.webhooks.insertOne(doc);
    });
  }

  /** The webhook when it belongs to `organisation`; null otherwise. */
  find(organisation: string, id: string): Promise<WebhookDocument | null> {
    return guardStore('find webhook', () => this.webhooks.findOne({ _id: id, organisation }));
  }

  findById(id: string): Promise<WebhookDocument | null> {
    return guardStore('find webhook', () => this.webhooks.findOne({ _id: id }));
  }

  list(organisation: string): Promise<WebhookDocument[]> {
    return guardStore('list webhooks', () =>
      this.webhooks.find({ organisation }).sort({ created_at: 1 }).toArray(),
    );
  }

  /** Webhooks of an organisation subscribed to `type`. */
  subscribers(organisation: string, type: WebhookEventType): Promise<WebhookDocument[]> {
    return guardStore('find subscribers', () => this.webhooks.find({ organisation, events: type }).toArray());
  }

  /** Deletes a webhook of `organisation`; false when there was none. */
  delete(organisation: string, id: string): Promise<boolean> {
    return guardStore('delete webhook', async () => {
      const r = await this.webhooks.deleteOne({ _id: id, organisation });
      return r.deletedCount === 1;
    });
  }

  /** Replaces the secrets of a webhook of `organisation`. */
  setSecrets(organisation: string, id: string, secrets: WebhookDocument['secrets']): Promise<void> {
    return guardStore('rotate webhook secret', async () => {
      await this.webhooks.updateOne({ _id: id, organisation }, { $set: { secrets } });
    });
  }

  insertDelivery(doc: DeliveryDocument): Promise<void> {
    return guardStore('insert delivery', async () => {
      await this.deliveries.insertOne(doc);
    });
  }

  findDelivery(id: string): Promise<DeliveryDocument | null> {
    return guardStore('find delivery', () => this.deliveries.findOne({ _id: id }));
  }

  /** Deliveries of one webhook, newest first, at most `limit`. */
  listDeliveries(webhookId: string, limit: number): Promise<DeliveryDocument[]> {
    return guardStore('list deliveries', () =>
      this.deliveries.find({ webhook_id: webhookId }).sort({ created_at: -1 }).limit(limit).toArray(),
    );
  }

  /** Appends an attempt and sets the status (`delivered_at` with `delivered`). */
  recordAttempt(id: string, attempt: DeliveryAttempt, status: DeliveryDocument['status']): Promise<void> {
    return guardStore('record delivery attempt', async () => {
      await this.deliveries.updateOne(
        { _id: id },
        {
          $push: { attempts: attempt },
          $set: { status, ...(status === 'delivered' ? { delivered_at: attempt.at } : {}) },
        },
      );
    });
  }

  /** Sets a delivery back to `pending` for a redelivery. */
  reopen(id: string): Promise<void> {
    return guardStore('reopen delivery', async () => {
      await this.deliveries.updateOne({ _id: id }, { $set: { status: 'pending' } });
    });
  }
}
