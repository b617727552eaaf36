import type { Queue } from 'bullmq';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** A BullMQ queue the metrics report, under its `queue` label (`grading`, `webhooks`). */
export interface WatchedQueue {
  label: string;
  queue: Queue;
}

/** BullMQ job states reported by `stackgrade_queue_jobs`. */
const JOB_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed', 'completed'] as const;

/**
 * The API process's Prometheus metrics (prom-client): the queues as Redis holds them (read at each scrape,
 * so every API process reports the same values; aggregated across cluster workers with `max`, not summed),
 * the HTTP requests this process answered and the webhook deliveries it made (summed across workers, see
 * api/operations/cluster-metrics.ts). Grading metrics live in the runner process
 * (runner/lib/runner-metrics.ts), a scrape target of its own.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  /** Webhook delivery attempts by outcome: `delivered`, `retry` (failed, will be retried), `failed` (gave up). */
  readonly webhookDeliveries: Counter<'outcome'>;
  /** Answered HTTP requests by method, matched route pattern (`unmatched` for none) and status code. */
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;

  constructor(queues: readonly WatchedQueue[]) {
    collectDefaultMetrics({ register: this.registry, prefix: 'stackgrade_api_' });
    this.webhookDeliveries = new Counter({
      name: 'stackgrade_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    for (const outcome of ['delivered', 'retry', 'failed']) this.webhookDeliveries.inc({ outcome }, 0);
    this.httpRequests = new Counter({
      name: 'stackgrade_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'stackgrade_queue_jobs',
      help: 'Jobs in a BullMQ queue by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      aggregator: 'max',
      async collect() {
        this.reset();
        for (const { label, queue } of queues) {
          const counts = await queue.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: label, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'stackgrade_queue_oldest_waiting_job_age_seconds',
      help: 'Age of the oldest job waiting to be taken (0 when none waits)',
      labelNames: ['queue'],
      registers: [this.registry],
      aggregator: 'max',
      async collect() {
        for (const { label, queue } of queues) {
          const [oldest] = await queue.getJobs(['waiting', 'prioritized'], 0, 0, true);
          this.set({ queue: label }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
        }
      },
    });
  }
}
