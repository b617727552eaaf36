import express, { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../runner/contract/app-error';
import type { ApiKeyStore } from '../data-access/api-key-store';
import { verifyApiKey } from '../domain/verify-api-key';
import { principalOf } from '../middleware/authenticate';
import { methodNotAllowed } from '../middleware/error-handler';
import {
  cookieOptions,
  csrfTokenFor,
  ensureCsrfCookie,
  requireCsrf,
  SESSION_COOKIE,
  SESSION_TTL_S,
  sessionCookieValue,
} from '../middleware/reviewer-session';

/** Body of `POST /v1/session`: an organisation's API key (`sg_<id>_<secret>`). */
export const sessionCreateSchema = z.object({ api_key: z.string().min(1).max(200) });

/** Body of `GET /v1/session` and `POST /v1/session`. */
export interface SessionView {
  /** Send as `X-CSRF-Token` with `POST` and `DELETE /v1/session`. */
  csrf_token: string;
  /** The signed-in reviewer's organisation, or null. */
  reviewer: { owner: string; key_id: string } | null;
}

/**
 * Reviewer sessions of the web app: `GET /v1/session` (who is signed in, and the CSRF token; sets the CSRF
 * cookie), `POST /v1/session` (sign in with an API key: sets the `HttpOnly`, `SameSite=Strict` session
 * cookie) and `DELETE /v1/session` (sign out). Both writes need the CSRF token.
 *
 * @throws AppError `CSRF_INVALID` (403), `VALIDATION_FAILED` (422), `UNAUTHENTICATED` (401) for a key that
 *   is malformed, unknown or revoked.
 */
export function sessionRouter(keys: ApiKeyStore, secret: string): Router {
  const router = Router();
  const csrf = requireCsrf(secret);

  router
    .route('/v1/session')
    .get((req, res) => {
      const p = principalOf(res);
      const body: SessionView = {
        csrf_token: csrfTokenFor(ensureCsrfCookie(req, res), secret),
        reviewer: p ? { owner: p.owner, key_id: p.keyId } : null,
      };
      res.set('Cache-Control', 'no-store').json(body);
    })
    .post(csrf, express.json({ limit: '4kb' }), async (req, res) => {
      const parsed = sessionCreateSchema.safeParse(req.body);
      if (!parsed.success)
        throw new AppError('VALIDATION_FAILED', 'the body needs api_key', { details: parsed.error.issues });
      const p = await verifyApiKey(keys, parsed.data.api_key.trim());
      if (!p) throw new AppError('UNAUTHENTICATED', 'the API key is malformed, unknown or revoked');
      res.cookie(
        SESSION_COOKIE,
        sessionCookieValue(p.keyId, p.owner, secret),
        cookieOptions(req, SESSION_TTL_S),
      );
      const body: SessionView = {
        csrf_token: csrfTokenFor(ensureCsrfCookie(req, res), secret),
        reviewer: { owner: p.owner, key_id: p.keyId },
      };
      res.set('Cache-Control', 'no-store').json(body);
    })
    .delete(csrf, (req, res) => {
      res.clearCookie(SESSION_COOKIE, cookieOptions(req));
      res.status(204).end();
    })
    .all(methodNotAllowed('GET', 'POST', 'DELETE'));

  return router;
}
