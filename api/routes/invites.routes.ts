import { Router } from 'express';
import type { Assessments } from '../domain/assessments';
import { requireCandidate } from '../middleware/authenticate';
import { methodNotAllowed } from '../middleware/error-handler';

/**
 * The candidate's routes: `GET /v1/invites/:token` (what the invite is for), `POST /v1/invites/:token/start`
 * (the token's one use: starts the timer, answers 201 with the session and its `sgs_…` bearer token),
 * `GET /v1/session` (the session: deadline, attempts, submissions) and `POST /v1/session/finish`. Submissions
 * go to `POST /v1/submissions` with the session token.
 */
export function invitesRouter(assessments: Assessments): Router {
  const router = Router();

  router
    .route('/v1/invites/:token')
    .get(async (req, res) => {
      res.set('Cache-Control', 'no-store').json(await assessments.preview(req.params.token));
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/v1/invites/:token/start')
    .post(async (req, res) => {
      const started = await assessments.start(req.params.token);
      res.status(201).set('Cache-Control', 'no-store').json(started);
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/v1/session')
    .get(async (_req, res) => {
      const candidate = requireCandidate(res);
      res.set('Cache-Control', 'no-store').json(await assessments.session(candidate.inviteId));
    })
    .all(methodNotAllowed('GET'));

  router
    .route('/v1/session/finish')
    .post(async (_req, res) => {
      const candidate = requireCandidate(res);
      await assessments.complete(candidate.inviteId, 'finished');
      res.json(await assessments.session(candidate.inviteId));
    })
    .all(methodNotAllowed('POST'));

  return router;
}
