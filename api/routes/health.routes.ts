import { Router } from 'express';
import type { SubmissionStore } from '../data-access/submission-store';
import { methodNotAllowed } from '../middleware/error-handler';

/** `GET /healthz`: 200 `{ status: 'ok' }` when the store answers a ping, else 503 STORE_UNAVAILABLE. */
export function healthRouter(store: SubmissionStore): Router {
  const router = Router();
  router
    .route('/healthz')
    .get(async (_req, res) => {
      await store.ping();
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    })
    .all(methodNotAllowed('GET'));
  return router;
}
