import type { Collection, Db } from 'mongodb';
import type { Scope } from '../domain/scopes';
import { guardStore } from './store-guard';

/** Collection of API keys in the store's database. */
export const API_KEYS_COLLECTION = 'api_keys';

/**
 * A stored API key. The secret is kept only as its SHA-256 (see `api/domain/api-key.ts`); `owner` is the
 * organisation the key acts for, matched against a challenge manifest's `owner`.
 */
export interface ApiKeyDocument {
  /** Public key id (16 hex digits). */
  _id: string;
  owner: string;
  /** Free text to tell keys apart ("ci", "hiring dashboard"). */
  name: string;
  /** SHA-256 of the secret, hex. */
  secret_sha256: string;
  /** What the key may do; absent on keys issued before scopes existed (they have every scope). */
  scopes?: Scope[];
  created_at: Date;
  /** Set once by {@link ApiKeyStore.revokeKey}; a revoked key authenticates nothing. */
  revoked_at: Date | null;
}

/** Where API keys live. Every method throws AppError `STORE_UNAVAILABLE` (503) when the store fails. */
export interface ApiKeyStore {
  insertKey(doc: ApiKeyDocument): Promise<void>;
  /** The key with this id, revoked or not; null when there is none. */
  findKey(id: string): Promise<ApiKeyDocument | null>;
  /** Every key (of one owner when given), oldest first. */
  listKeys(owner?: string): Promise<ApiKeyDocument[]>;
  /** Marks a key revoked at `at`; false when no unrevoked key has this id (idempotent). */
  revokeKey(id: string, at: Date): Promise<boolean>;
}

/** {@link ApiKeyStore} over the official MongoDB driver; works on MongoDB and FerretDB. */
export class MongoApiKeyStore implements ApiKeyStore {
  private readonly keys: Collection<ApiKeyDocument>;

  constructor(db: Db) {
    this.keys = db.collection<ApiKeyDocument>(API_KEYS_COLLECTION);
  }

  insertKey(doc: ApiKeyDocument): Promise<void> {
    return guardStore('insert API key', async () => {
      await this.keys.insertOne(doc);
    });
  }

  findKey(id: string): Promise<ApiKeyDocument | null> {
    return guardStore('find API key', () => this.keys.findOne({ _id: id }));
  }

  listKeys(owner?: string): Promise<ApiKeyDocument[]> {
    return guardStore('list API keys', () =>
      this.keys
        .find(owner === undefined ? {} : { owner })
        .sort({ created_at: 1 })
        .toArray(),
    );
  }

  revokeKey(id: string, at: Date): Promise<boolean> {
    return guardStore('revoke API key', async () => {
      const r = await this.keys.updateOne({ _id: id, revoked_at: null }, { $set: { revoked_at: at } });
      return r.modifiedCount === 1;
    });
  }
}
