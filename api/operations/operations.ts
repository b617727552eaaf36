import type { Router } from 'express';
import { ApiMetrics, type WatchedQueue } from './api-metrics';
import { bullBoardRouter } from './bull-board.routes';
import { metricsRouter } from './metrics.routes';

/** The operator-facing parts of an API process. */
export interface Operations {
  metrics: ApiMetrics;
  /** `/metrics` and `/admin/queues`, for `createApp`'s `extraRouters` (mounted before authentication). */
  routers: Router[];
}

/**
 * Builds the API's operations: Prometheus metrics over `queues` (the grading and the webhook queue) and Bull
 * Board over the same queues behind `adminKey` (off without one).
 */
export function createOperations(queues: readonly WatchedQueue[], adminKey: string | undefined): Operations {
  const metrics = new ApiMetrics(queues);
  return { metrics, routers: [metricsRouter(metrics), bullBoardRouter(queues, adminKey)] };
}
