import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../runner/contract/app-error';

/** Challenge of a refused operator request: Basic (RFC 7617 §2), so a browser asks for the key. */
export const ADMIN_CHALLENGE = 'Basic realm="stackgrade-admin", charset="UTF-8"';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** The credential a request presents: a Bearer token (RFC 6750 §2.1) or a Basic password (RFC 7617 §2). */
function presented(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer +(\S+) *$/i.exec(header);
  if (bearer) return bearer[1] ?? null;
  const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!basic?.[1]) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : decoded.slice(colon + 1);
}

/**
 * Admits only the operator: the request must present `adminKey` (config `ADMIN_API_KEY`) as
 * `Authorization: Bearer <key>` or as the password of HTTP Basic with any user name (what a browser sends
 * after its prompt). Organisation API keys are never admitted: operator tools see every organisation's jobs.
 * Compares SHA-256 digests in constant time.
 *
 * @throws AppError `UNAUTHENTICATED` (401, with `WWW-Authenticate: Basic`) otherwise.
 */
export function requireAdminKey(adminKey: string): RequestHandler {
  const expected = digest(adminKey);
  return (req, res, next) => {
    const given = presented(req.get('authorization'));
    if (given !== null && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', ADMIN_CHALLENGE);
    next(new AppError('UNAUTHENTICATED', 'this route needs the operator key (ADMIN_API_KEY)'));
  };
}
