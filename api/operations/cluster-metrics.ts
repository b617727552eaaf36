import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import { AppError } from '../../runner/contract/app-error';

/** IPC message a worker sends its primary to ask for the cluster's metrics. */
const REQUEST = 'stackgrade:cluster-metrics-request';
/** The primary's answer: the exposition text, or the reason it has none. */
const RESPONSE = 'stackgrade:cluster-metrics-response';

/** How long a worker waits for the primary's aggregate, ms (prom-client gives each worker 5 s to answer). */
export const CLUSTER_METRICS_TIMEOUT_MS = 7_000;

interface MetricsRequest {
  type: typeof REQUEST;
  id: string;
}
interface MetricsResponse {
  type: typeof RESPONSE;
  id: string;
  text?: string;
  error?: string;
}

const isRequest = (m: unknown): m is MetricsRequest =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === REQUEST;
const isResponse = (m: unknown): m is MetricsResponse =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === RESPONSE;

/**
 * In the primary of a multi-process API: answers the workers' metrics requests with the sum over every
 * worker, collected by prom-client's `AggregatorRegistry.clusterMetrics()` (each worker's registry as JSON
 * over IPC, merged per metric by its `aggregator`: counters and histograms summed, gauges as declared).
 *
 * @returns a function that stops answering.
 */
export function answerClusterMetrics(logger: Logger): () => void {
  const aggregator = new AggregatorRegistry();
  const onMessage = (worker: { send: (m: MetricsResponse) => boolean }, message: unknown): void => {
    if (!isRequest(message)) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id: message.id, text }),
      (err: unknown) => {
        logger.warn({ err }, 'collecting the API workers’ metrics failed');
        worker.send({ type: RESPONSE, id: message.id, error: String(err) });
      },
    );
  };
  cluster.on('message', onMessage);
  return () => cluster.removeListener('message', onMessage);
}

/**
 * In a worker of a multi-process API: offers `registry` to the primary's aggregation (prom-client answers its
 * requests in this process) and returns the function `/metrics` serves, which asks the primary for the
 * aggregate of every worker. Outside a cluster worker, returns `registry.metrics()` unchanged.
 *
 * @returns a function resolving to the exposition text; it rejects with AppError `METRICS_UNAVAILABLE` (503)
 *   when the primary does not answer within {@link CLUSTER_METRICS_TIMEOUT_MS} or a worker failed to.
 */
export function clusterMetricsSource(registry: Registry): () => Promise<string> {
  const send = process.send?.bind(process);
  if (!cluster.isWorker || !send) return () => registry.metrics();
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's worker-side listener for the primary's requests.
  new AggregatorRegistry();
  const pending = new Map<string, (r: MetricsResponse) => void>();
  process.on('message', (message: unknown) => {
    if (isResponse(message)) pending.get(message.id)?.(message);
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new AppError('METRICS_UNAVAILABLE', 'the API primary did not answer with the metrics'));
      }, CLUSTER_METRICS_TIMEOUT_MS);
      pending.set(id, (r) => {
        clearTimeout(timer);
        pending.delete(id);
        if (r.text !== undefined) resolve(r.text);
        else
          reject(new AppError('METRICS_UNAVAILABLE', `aggregating the workers' metrics failed: ${r.error}`));
      });
      send({ type: REQUEST, id } satisfies MetricsRequest);
    });
}
