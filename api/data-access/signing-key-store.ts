import type { Collection, Db } from 'mongodb';
import { guardStore } from './store-guard';

/** Collection of the report-signing public keys the installation's runners sign with. */
export const SIGNING_KEYS_COLLECTION = 'signing_keys';

/** One runner key: its id (runner/signing/report-signature.ts keyIdOf) and public half. */
export interface SigningKeyDocument {
  /** Key id, `SHA256:<base64url>`. */
  _id: string;
  algorithm: 'Ed25519';
  /** SPKI PEM of the public key. */
  public_key_pem: string;
  /** When a runner first and last started with it. */
  first_seen: Date;
  last_seen: Date;
}

/**
 * The public keys reports are signed with, in MongoDB: each runner publishes its key when it starts, and the
 * API serves them (`GET /v1/signing-key`) so anyone can verify a report without access to the runner's host.
 * Private keys never leave the runner. Throws AppError `STORE_UNAVAILABLE` when the store fails.
 */
export class SigningKeyStore {
  private readonly col: Collection<SigningKeyDocument>;

  constructor(db: Db) {
    this.col = db.collection<SigningKeyDocument>(SIGNING_KEYS_COLLECTION);
  }

  /** Records that a runner signs with this key (upsert; `first_seen` kept). */
  publish(keyId: string, publicKeyPem: string, now: Date = new Date()): Promise<void> {
    return guardStore('publish the signing key', async () => {
      await this.col.updateOne(
        { _id: keyId },
        {
          $set: { algorithm: 'Ed25519', public_key_pem: publicKeyPem, last_seen: now },
          $setOnInsert: { first_seen: now },
        },
        { upsert: true },
      );
    });
  }

  /** Every published key, most recently used first. */
  list(): Promise<SigningKeyDocument[]> {
    return guardStore('read signing keys', () => this.col.find({}).sort({ last_seen: -1 }).toArray());
  }
}
