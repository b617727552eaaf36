import http from 'node:http';
import autocannon from 'autocannon';
import { openLoop } from './open-loop';
import { percentile } from './stats';

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

/** A load run's target: a URL on 127.0.0.1 and, for a POST, the body sent as application/gzip. */
export interface LoadTarget {
  url: string;
  rps: number;
  seconds: number;
  body?: Buffer;
}

function assertLocal(url: string): void {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error('load tests target 127.0.0.1 only');
}

/**
 * Offers `rps` requests per second for `seconds` to `url` as an open loop: request i is sent at
 * t0 + i/rps whether or not earlier ones were answered (keep-alive sockets, as many as are in flight), and
 * its latency counts from when it was due (see {@link openLoop}). This is the load the "fixed
 * offered load" describes; autocannon cannot offer it (see {@link offerBurstLoad}). Throws when the URL is
 * not local.
 */
export async function offerOpenLoad(o: LoadTarget): Promise<LoadSample> {
  assertLocal(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  let bad = 0;
  const send = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        o.url,
        {
          agent,
          method: o.body ? 'POST' : 'GET',
          timeout: 10_000,
          headers: o.body ? { 'content-type': 'application/gzip', 'content-length': o.body.length } : {},
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) >= 300) bad++;
            resolve();
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(o.body);
    });
  const t0 = Date.now();
  try {
    const r = await openLoop(o.rps, o.seconds, send);
    const answered = r.latenciesMs.length;
    return {
      rps: answered / Math.max((Date.now() - t0) / 1000, 0.001),
      p99Ms: answered > 0 ? Math.round(percentile(r.latenciesMs, 99) * 10) / 10 : o.seconds * 1000,
      bad: bad + r.failed,
      requests: answered + r.failed,
    };
  } finally {
    agent.destroy();
  }
}

/**
 * The same target through autocannon's `overallRate` (64 connections). autocannon spreads the rate over
 * its connections and lets each send its share back to back at the start of every second, then pause
 * (mcollina/autocannon#174, open): the API sees a burst of `rps` requests at concurrency 64 once a second,
 * not an even rate. Kept as a burst figure next to {@link offerOpenLoad}. Throws when autocannon fails or
 * the URL is not local.
 */
export function offerBurstLoad(o: LoadTarget & { connections?: number }): Promise<LoadSample> {
  assertLocal(o.url);
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
