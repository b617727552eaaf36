import { Router, type RequestHandler } from 'express';
import type { ApiMetrics } from './api-metrics';
import { methodNotAllowed } from '../middleware/error-handler';

/**
 * Counts every request that reaches it in `stackgrade_http_requests_total` once its response is finished or
 * its connection closed: `method`, `route` (the matched Express route pattern with its mount path, e.g.
 * `/v1/assessments/:id`, so ids never become labels; `unmatched` when no route matched) and `status`.
 */
export function countRequests(metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    let counted = false;
    const count = (): void => {
      if (counted) return;
      counted = true;
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    };
    res.once('finish', count);
    res.once('close', count);
    next();
  };
}

/**
 * `GET /metrics`: the API's Prometheus metrics in the text exposition format (0.0.4), anonymous like
 * `/healthz` (bind the API to a private address or filter the path at the proxy where that matters). The
 * text comes from `source`, by default this process's registry; a cluster worker passes the aggregate of
 * every worker (api/operations/cluster-metrics.ts). A failing collection (Redis down, a worker not answering)
 * is a 503 problem via the error handler.
 */
export function metricsRouter(
  metrics: ApiMetrics,
  source: () => Promise<string> = () => metrics.registry.metrics(),
): Router {
  const router = Router();
  router
    .route('/metrics')
    .get(async (_req, res) => {
      const text = await source();
      res.set('Cache-Control', 'no-store').type(metrics.registry.contentType).send(text);
    })
    .all(methodNotAllowed('GET'));
  return router;
}
