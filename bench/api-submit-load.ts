import autocannon from 'autocannon';

/** One fixed-rate load run against the API. */
export interface LoadSample {
  /** Answered requests per second (2xx/202 and others). */
  rps: number;
  /** p99 latency of answered requests, ms; when none was answered, the run's length (a lower bound). */
  p99Ms: number;
  /** Requests that failed, timed out or answered outside 2xx. */
  bad: number;
  requests: number;
}

/**
 * Offers `rps` requests per second for `seconds` to `url` (127.0.0.1 only) with autocannon's fixed
 * overall rate (open-ish loop bounded by `connections`), either POSTing `body` as application/gzip or
 * GETting the URL. Throws when autocannon fails or the URL is not local.
 */
export function offerLoad(o: {
  url: string;
  rps: number;
  seconds: number;
  body?: Buffer;
  connections?: number;
}): Promise<LoadSample> {
  if (new URL(o.url).hostname !== '127.0.0.1') throw new Error('load tests target 127.0.0.1 only');
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: o.url,
        connections: o.connections ?? 64,
        overallRate: o.rps,
        duration: o.seconds,
        timeout: 10,
        ...(o.body
          ? { method: 'POST' as const, body: o.body, headers: { 'content-type': 'application/gzip' } }
          : {}),
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({
          rps: r.requests.total / Math.max(r.duration, 0.001),
          // Nothing answered within the run: every latency exceeded it, so the run's length is a lower bound.
          p99Ms: r.requests.total > 0 ? r.latency.p99 : o.seconds * 1000,
          bad: r.errors + r.timeouts + r.non2xx,
          requests: r.requests.total,
        });
      },
    );
  });
}
