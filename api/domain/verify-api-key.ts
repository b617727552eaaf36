import type { ApiKeyStore } from '../data-access/api-key-store';
import { parseApiKeyToken, secretMatches } from './api-key';
import { SCOPES, type Scope } from './scopes';

/** An organisation's API key, verified. */
export interface KeyPrincipal {
  kind: 'key';
  /** Public id of the key used. */
  keyId: string;
  /** The organisation the key was issued to (a challenge manifest's `owner`). */
  organisation: string;
  /** What the key may do. */
  scopes: readonly Scope[];
}

/** A candidate who started an assessment with an invite, verified by the session token. */
export interface CandidatePrincipal {
  kind: 'candidate';
  inviteId: string;
  assessmentId: string;
  organisation: string;
}

/** Who a request acts for once its bearer token is verified. */
export type Principal = KeyPrincipal | CandidatePrincipal;

/**
 * Verifies an API key token: well-formed `sg_<id>_<secret>`, a stored key with that id, not revoked, and a
 * secret whose SHA-256 matches (constant-time). Null for any failure, without saying which (no oracle). A key
 * stored before scopes existed has every scope (it could already read every report of its organisation).
 *
 * @throws AppError `STORE_UNAVAILABLE` (503) from the store.
 */
export async function verifyApiKey(store: ApiKeyStore, token: string): Promise<KeyPrincipal | null> {
  const parts = parseApiKeyToken(token);
  if (!parts) return null;
  const doc = await store.findKey(parts.id);
  if (!doc || doc.revoked_at !== null) return null;
  if (!secretMatches(parts.secret, doc.secret_sha256)) return null;
  return { kind: 'key', keyId: doc._id, organisation: doc.owner, scopes: doc.scopes ?? [...SCOPES] };
}
