import type { ApiKeyStore } from '../data-access/api-key-store';
import { parseApiKeyToken, secretMatches } from './api-key';

/** Who a request acts for once its API key is verified. */
export interface Principal {
  /** Public id of the key used. */
  keyId: string;
  /** The organisation the key was issued to. */
  owner: string;
}

/**
 * Verifies a bearer token: well-formed `sg_<id>_<secret>`, a stored key with that id, not revoked, and a
 * secret whose SHA-256 matches (constant-time). Null for any failure, without saying which (no oracle).
 *
 * @throws AppError `STORE_UNAVAILABLE` (503) from the store.
 */
export async function verifyApiKey(store: ApiKeyStore, token: string): Promise<Principal | null> {
  const parts = parseApiKeyToken(token);
  if (!parts) return null;
  const doc = await store.findKey(parts.id);
  if (!doc || doc.revoked_at !== null) return null;
  return secretMatches(parts.secret, doc.secret_sha256) ? { keyId: doc._id, owner: doc.owner } : null;
}
