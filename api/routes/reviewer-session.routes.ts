import express, { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../runner/contract/app-error';
import type { ApiKeyStore } from '../data-access/api-key-store';
import type { Scope } from '../domain/scopes';
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

/** Body of `POST /v1/reviewer-session`: an organisation's API key (`sg_<id>_<secret>`). */
export const reviewerSessionCreateSchema = z.object({ api_key: z.string().min(1).max(200) });

/** Body of `GET /v1/reviewer-session` and `POST /v1/reviewer-session`. */
export interface ReviewerSessionView {
  /** Send as `X-CSRF-Token` with `POST` and `DELETE /v1/reviewer-session`. */
  csrf_token: string;
  /** The signed-in reviewer's organisation, key and the key's scopes, or null. */
  reviewer: { organisation: string; key_id: string; scopes: readonly Scope[] } | null;
}

/**
 * Reviewer sessions of the web app: `GET /v1/reviewer-session` (who is signed in, and the CSRF token; sets the CSRF
 * cookie), `POST /v1/reviewer-session` (sign in with an API key: sets the `HttpOnly`, `SameSite=Strict` session
 * cookie) and `DELETE /v1/reviewer-session` (sign out). Both writes need the CSRF token.
 *
 * @throws AppError `CSRF_INVALID` (403), `VALIDATION_FAILED` (422), `UNAUTHENTICATED` (401) for a key that
 *   is malformed, unknown or revoked.
 */
export function reviewerSessionRouter(keys: ApiKeyStore, secret: string): Router {
  const router = Router();
  const csrf = requireCsrf(secret);

  router
    .route('/v1/reviewer-session')
    .get((req, res) => {
      const p = principalOf(res);
      const body: ReviewerSessionView = {
        csrf_token: csrfTokenFor(ensureCsrfCookie(req, res), secret),
        reviewer:
          p?.kind === 'key' ? { organisation: p.organisation, key_id: p.keyId, scopes: p.scopes } : null,
      };
      res.set('Cache-Control', 'no-store').json(body);
    })
    .post(csrf, express.json({ limit: '4kb' }), async (req, res) => {
      const parsed = reviewerSessionCreateSchema.safeParse(req.body);
      if (!parsed.success)
        throw new AppError('VALIDATION_FAILED', 'the body needs api_key', { details: parsed.error.issues });
      const p = await verifyApiKey(keys, parsed.data.api_key.trim());
      if (!p) throw new AppError('UNAUTHENTICATED', 'the API key is malformed, unknown or revoked');
      res.cookie(
        SESSION_COOKIE,
        sessionCookieValue(p.keyId, p.organisation, secret),
        cookieOptions(req, SESSION_TTL_S),
      );
      const body: ReviewerSessionView = {
        csrf_token: csrfTokenFor(ensureCsrfCookie(req, res), secret),
        reviewer: { organisation: p.organisation, key_id: p.keyId, scopes: p.scopes },
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
