import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Buckets of a grading's wall time, seconds: a warm attack-lab grading is ~10 s, a cold orders-api ~60 s. */
const GRADING_BUCKETS_S = [5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600];
/** Buckets of a pod's start (creation → candidate service ready), seconds. */
const POD_START_BUCKETS_S = [1, 2, 5, 10, 15, 20, 30, 45, 60, 120];

/**
 * The runner process's Prometheus metrics (prom-client), served by {@link serveRunnerMetrics} on the runner
 * itself: gradings run in the runner, which in production is a separate process (and host) from the API, so
 * each runner is one scrape target. Names follow the Prometheus naming guide (base units: seconds).
 */
export class RunnerMetrics {
  readonly registry = new Registry();
  /** Finished grading attempts by challenge, runtime (`node22`…, `unknown`) and status (`pass`/`fail`/`error`). */
  readonly gradings: Counter<'challenge' | 'runtime' | 'status'>;
  /** Wall time of a grading attempt, seconds. */
  readonly gradingDuration: Histogram<'challenge' | 'runtime'>;
  /** Pod start, seconds: `source="warm"` for warm-pool fills, `"grading"` for a pod prepared by a grading. */
  readonly podStart: Histogram<'source'>;

  constructor(warmPoolSize: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: 'stackgrade_runner_' });
    this.gradings = new Counter({
      name: 'stackgrade_gradings_total',
      help: 'Finished grading attempts by challenge, runtime and status',
      labelNames: ['challenge', 'runtime', 'status'],
      registers: [this.registry],
    });
    this.gradingDuration = new Histogram({
      name: 'stackgrade_grading_duration_seconds',
      help: 'Wall time of a grading attempt',
      labelNames: ['challenge', 'runtime'],
      buckets: GRADING_BUCKETS_S,
      registers: [this.registry],
    });
    this.podStart = new Histogram({
      name: 'stackgrade_pod_start_seconds',
      help: 'Time from pod creation to a ready candidate service',
      labelNames: ['source'],
      buckets: POD_START_BUCKETS_S,
      registers: [this.registry],
    });
    new Gauge({
      name: 'stackgrade_warm_pool_pods',
      help: 'Warm pods ready now in this runner, all challenges',
      registers: [this.registry],
      collect() {
        this.set(warmPoolSize());
      },
    });
  }
}

/**
 * Serves `GET /metrics` of `metrics` on `host:port` (Prometheus text format 0.0.4); any other path is 404.
 * Resolves once listening; port 0 picks a free port (read it from `server.address()`).
 */
export async function serveRunnerMetrics(
  metrics: RunnerMetrics,
  host: string,
  port: number,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(err)}\n`),
    );
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
