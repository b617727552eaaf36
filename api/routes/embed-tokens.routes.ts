import express, { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../runner/contract/app-error';
import type { ChallengeCatalog } from '../../runner/contract/challenge-catalog';
import { EMBED_TOKEN_MAX_TTL_S, originSchema, signEmbedToken, verifyEmbedToken } from '../domain/embed-token';
import { requireKey } from '../middleware/authenticate';
import { methodNotAllowed } from '../middleware/error-handler';

/** Body of `POST /v1/embed-tokens`. */
export const embedTokenCreateSchema = z.object({
  challenge_id: z.string().min(1).max(100),
  /** Origin of the host page that frames the candidate flow. */
  parent_origin: originSchema,
  /** Lifetime, seconds (default one day). */
  ttl_s: z.number().int().min(60).max(EMBED_TOKEN_MAX_TTL_S).default(86_400),
});

/**
 * `POST /v1/embed-tokens` (the challenge owner's API key with scope `challenges:write`: signs a token for the embedded candidate flow;
 * 201 with `token`, `url` and `expires_at`) and `GET /v1/embed-tokens/:token` (anonymous: the grant of a
 * valid token, read by the embedded page).
 *
 * @throws AppError `UNAUTHENTICATED` (401) without a key, `INSUFFICIENT_SCOPE` (403),
 *   `CHALLENGE_NOT_FOUND` (404) for an unknown challenge or another organisation's, `VALIDATION_FAILED` (422), `EMBED_TOKEN_INVALID` (403) for a bad token.
 */
export function embedTokensRouter(catalog: ChallengeCatalog, secret: string): Router {
  const router = Router();
  router
    .route('/v1/embed-tokens')
    .post(express.json({ limit: '4kb' }), (req, res) => {
      const p = requireKey(res, 'challenges:write');
      const parsed = embedTokenCreateSchema.safeParse(req.body);
      if (!parsed.success)
        throw new AppError('VALIDATION_FAILED', 'the request body is invalid; see errors', {
          details: parsed.error.issues,
        });
      const { challenge_id, parent_origin, ttl_s } = parsed.data;
      const challenge = catalog.get(challenge_id);
      // Another organisation's challenge is absent (404), as on every owner route.
      if (!challenge) throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${challenge_id} does not exist`);
      if (challenge.manifest.owner !== p.organisation)
        throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${challenge_id} does not exist`);
      const exp = Math.floor(Date.now() / 1000) + ttl_s;
      const token = signEmbedToken({ challenge_id, parent_origin, exp }, secret);
      res.status(201).json({
        token,
        url: `/app/embed?token=${encodeURIComponent(token)}`,
        expires_at: new Date(exp * 1000).toISOString(),
      });
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/v1/embed-tokens/:token')
    .get((req, res) => {
      const grant = verifyEmbedToken(req.params.token, secret);
      if (!grant)
        throw new AppError('EMBED_TOKEN_INVALID', 'the embed token is malformed, expired or not signed here');
      res.set('Cache-Control', 'no-store').json({
        challenge_id: grant.challenge_id,
        parent_origin: grant.parent_origin,
        expires_at: new Date(grant.exp * 1000).toISOString(),
      });
    })
    .all(methodNotAllowed('GET'));
  return router;
}
