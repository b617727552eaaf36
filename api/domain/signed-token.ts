import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A compact signed token: `base64url(JSON payload) "." base64url(HMAC-SHA256(secret, payload part))`
 * (the HMAC construction of RFC 2104 with SHA-256; base64url of RFC 4648 §5). The payload carries its own
 * expiry `exp` (seconds since the epoch, as JWT's `exp`, RFC 7519 §4.1.4). Not encrypted: put nothing
 * secret in it.
 */
export interface SignedPayload {
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** What the token is for (`session`, `embed`): a token of one kind is never accepted as another. */
  kind: string;
}

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** Signs a payload with `secret`. */
export function signToken<T extends SignedPayload>(payload: T, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/**
 * The payload of a token signed with `secret`, of this `kind` and not expired at `nowMs`; null for anything
 * else (malformed, wrong signature — compared in constant time —, other kind, expired), without saying which.
 */
export function verifyToken(
  token: string,
  secret: string,
  kind: string,
  nowMs: number = Date.now(),
): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  const [body, sig] = parts as [string, string];
  const expected = mac(secret, body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (p.kind !== kind || typeof p.exp !== 'number' || p.exp * 1000 <= nowMs) return null;
  return p;
}
