import type { RequestHandler, Router } from 'express';
import { ApiMetrics, type WatchedQueue } from './api-metrics';
import { bullBoardRouter } from './bull-board.routes';
import { clusterMetricsSource } from './cluster-metrics';
import { countRequests, metricsRouter } from './metrics.routes';

/** The operator-facing parts of an API process. */
export interface Operations {
  metrics: ApiMetrics;
  /** Counts each request in the metrics: `createApp` mounts it first, after the request context. */
  observer: RequestHandler;
  /** `/metrics` and `/admin/queues`, for `createApp`'s `extraRouters` (mounted before authentication). */
  routers: Router[];
}

/**
 * Builds the API's operations: Prometheus metrics over `queues` (the grading and the webhook queue) and Bull
 * Board over the same queues behind `adminKey` (off without one). In a cluster worker (`API_WORKERS` > 1)
 * `/metrics` answers the sum over every worker, aggregated by the primary (api/operations/cluster-metrics.ts).
 */
export function createOperations(queues: readonly WatchedQueue[], adminKey: string | undefined): Operations {
  const metrics = new ApiMetrics(queues);
  return {
    metrics,
    observer: countRequests(metrics),
    routers: [
      metricsRouter(metrics, clusterMetricsSource(metrics.registry)),
      bullBoardRouter(queues, adminKey),
    ],
  };
}
