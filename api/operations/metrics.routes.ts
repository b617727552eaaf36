import { Router } from 'express';
import type { ApiMetrics } from './api-metrics';
import { methodNotAllowed } from '../middleware/error-handler';

/**
 * `GET /metrics`: the API's Prometheus metrics in the text exposition format (0.0.4), anonymous like
 * `/healthz` (bind the API to a private address or filter the path at the proxy where that matters). A
 * failing collection (Redis down) is a 503 problem via the error handler.
 */
export function metricsRouter(metrics: ApiMetrics): Router {
  const router = Router();
  router
    .route('/metrics')
    .get(async (_req, res) => {
      const text = await metrics.registry.metrics();
      res.set('Cache-Control', 'no-store').type(metrics.registry.contentType).send(text);
    })
    .all(methodNotAllowed('GET'));
  return router;
}
