import { randomBytes, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../runner/contract/app-error';
import type { ApiKeyStore } from '../data-access/api-key-store';
import { SCOPES } from '../domain/scopes';
import { signToken, verifyToken } from '../domain/signed-token';
import { principalOf, setPrincipal } from './authenticate';

/** Cookie of a reviewer's session: a signed `{kind: 'session', key_id, owner, exp}` (`owner`: the key's organisation). */
export const SESSION_COOKIE = 'sg_session';
/** Cookie holding the random value a CSRF token is derived from (signed double-submit cookie). */
export const CSRF_COOKIE = 'sg_csrf';
/** Request header carrying the CSRF token of a state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';
/** How long a reviewer session lasts, seconds (8 h: OWASP Session Management Cheat Sheet, absolute timeout). */
export const SESSION_TTL_S = 8 * 3600;

/** Reads the request's cookies (RFC 6265 §5.4 syntax, through the `cookie` package). */
export function cookiesOf(req: Request): Record<string, string | undefined> {
  return parseCookies(req.get('cookie') ?? '');
}

/**
 * Cookie attributes of every Stackgrade cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (never
 * sent on a cross-site request: the first CSRF defence, RFC 6265bis §8.8), `Path=/`, and `Secure` when the
 * request came over HTTPS.
 */
export function cookieOptions(req: Request, maxAgeS?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: req.secure,
    ...(maxAgeS !== undefined ? { maxAge: maxAgeS * 1000 } : {}),
  };
}

/** The CSRF token of a CSRF cookie value: HMAC-SHA256 under the web secret (OWASP CSRF Cheat Sheet, signed double-submit cookie). */
export function csrfTokenFor(cookieValue: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf:${cookieValue}`).digest('base64url');
}

/** The CSRF cookie of the request, set on the response first when it has none. */
export function ensureCsrfCookie(req: Request, res: Response): string {
  const existing = cookiesOf(req)[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const value = randomBytes(32).toString('base64url');
  res.cookie(CSRF_COOKIE, value, cookieOptions(req));
  return value;
}

/**
 * Refuses a state-changing request whose `X-CSRF-Token` header does not match its CSRF cookie.
 *
 * @throws AppError `CSRF_INVALID` (403).
 */
export function requireCsrf(secret: string): RequestHandler {
  return (req, _res, next) => {
    const cookieValue = cookiesOf(req)[CSRF_COOKIE];
    const given = req.get(CSRF_HEADER) ?? '';
    const ok =
      cookieValue !== undefined &&
      given.length > 0 &&
      (() => {
        const a = Buffer.from(given);
        const b = Buffer.from(csrfTokenFor(cookieValue, secret));
        return a.length === b.length && timingSafeEqual(a, b);
      })();
    if (!ok) throw new AppError('CSRF_INVALID', 'the CSRF token is missing or does not match this browser');
    next();
  };
}

/** A new session cookie value for a verified key. */
export function sessionCookieValue(keyId: string, owner: string, secret: string, nowMs = Date.now()): string {
  return signToken(
    { kind: 'session', key_id: keyId, owner, exp: Math.floor(nowMs / 1000) + SESSION_TTL_S },
    secret,
  );
}

/**
 * Lets a reviewer's session cookie stand in for the API key on safe requests (GET/HEAD: reading reports
 * and lists; anything that changes state still needs a bearer key or a CSRF token). The session's key is
 * looked up on every request, so revoking it ends the session, and the session has the key's scopes. A
 * request with a bearer token (API key or candidate session) keeps it.
 */
export function reviewerSession(keys: ApiKeyStore, secret: string): RequestHandler {
  return async (req, res, next) => {
    if (principalOf(res) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    const value = cookiesOf(req)[SESSION_COOKIE];
    const payload = value ? verifyToken(value, secret, 'session') : null;
    if (payload && typeof payload.key_id === 'string') {
      const doc = await keys.findKey(payload.key_id);
      if (doc && doc.revoked_at === null)
        setPrincipal(res, {
          kind: 'key',
          keyId: doc._id,
          organisation: doc.owner,
          scopes: doc.scopes ?? [...SCOPES],
        });
    }
    next();
  };
}
