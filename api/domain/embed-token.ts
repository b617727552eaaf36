import { z } from 'zod';
import { signToken, verifyToken } from './signed-token';

/** Longest an embed token may live, seconds (7 days). */
export const EMBED_TOKEN_MAX_TTL_S = 7 * 86_400;

/**
 * What an embed token says: the challenge the embedded candidate flow shows, and the origin of the host
 * page allowed to frame it and to receive its `postMessage` events (an RFC 6454 origin:
 * `scheme://host[:port]`, no path).
 */
export interface EmbedGrant {
  challenge_id: string;
  parent_origin: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** An origin as `URL.origin` serialises it (http or https, no path, query or fragment). */
export const originSchema = z
  .string()
  .max(300)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://example.com or http://127.0.0.1:8080 (no path, no trailing slash)');

/** Signs an embed grant with the web secret. */
export function signEmbedToken(grant: EmbedGrant, secret: string): string {
  return signToken({ kind: 'embed', ...grant }, secret);
}

/** The grant of a valid, unexpired embed token; null otherwise. */
export function verifyEmbedToken(token: string, secret: string, nowMs = Date.now()): EmbedGrant | null {
  const p = verifyToken(token, secret, 'embed', nowMs);
  if (!p || typeof p.challenge_id !== 'string' || typeof p.parent_origin !== 'string') return null;
  if (!originSchema.safeParse(p.parent_origin).success) return null;
  return { challenge_id: p.challenge_id, parent_origin: p.parent_origin, exp: p.exp as number };
}
