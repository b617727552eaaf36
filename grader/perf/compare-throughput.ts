import autocannon from 'autocannon';
import { CheckFailure, type CheckContext } from '../check';

/** One closed-loop load run against one service. */
export interface LoadRun {
  rps: number;
  p50_ms: number;
  p90_ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: number;
}

/** Options of {@link compareThroughput}. */
export interface ThroughputOptions {
  /** Request paths, cycled through (e.g. several ids so caches do not decide). */
  paths: string[];
  headers?: Record<string, string>;
  /**
   * Headers for the reference instead of `headers` (default the same), e.g. a bearer token the reference
   * issued when the candidate's and the reference's accounts live in separate databases.
   */
  refHeaders?: Record<string, string>;
  /** Concurrent connections (default 8). */
  connections?: number;
  /** Seconds per measured run (default 1.5); a slow service is measured as slow, not waited for. */
  durationS?: number;
  /** Measured runs per service, interleaved candidate/reference (default 3). */
  runs?: number;
  /** Passing ratio of candidate median rps to reference median rps (default 0.5). */
  minRatio?: number;
}

function load(
  url: string,
  o: Required<Omit<ThroughputOptions, 'minRatio' | 'runs' | 'refHeaders'>>,
): Promise<LoadRun> {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: o.connections,
        duration: o.durationS,
        timeout: 10,
        headers: o.headers,
        requests: [
          {
            setupRequest: (req) => {
              const path = o.paths[i++ % o.paths.length]!;
              return { ...req, path };
            },
          },
        ],
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({
          rps: r.requests.total / Math.max(r.duration, 0.001),
          p50_ms: r.latency.p50,
          p90_ms: r.latency.p90,
          errors: r.errors,
          timeouts: r.timeouts,
          non2xx: r.non2xx,
          requests: r.requests.total,
        });
      },
    );
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
};

/**
 * Throughput of the candidate as a ratio to the reference solution, measured in the same pod on the same
 * data: one unmeasured warm-up each, then `runs` interleaved closed-loop runs (autocannon), medians compared.
 * Any error, timeout or non-2xx answer fails the check, since failing fast looks fast (docs/grading.md,
 * "Performance ratios"). Throws CheckFailure below `minRatio`.
 */
export async function compareThroughput(
  ctx: CheckContext,
  opts: ThroughputOptions,
): Promise<{ ratio: number }> {
  if (!ctx.ref)
    throw new Error(
      'performance checks need the reference solution (performance_reference in challenge.yaml)',
    );
  const o = {
    paths: opts.paths,
    headers: opts.headers ?? {},
    connections: opts.connections ?? 8,
    durationS: opts.durationS ?? 1.5,
  };
  const runs = opts.runs ?? 3;
  const appUrl = ctx.app.baseUrl;
  const refUrl = ctx.ref.baseUrl;
  const r = { ...o, headers: opts.refHeaders ?? o.headers };
  const warm = { ...o, durationS: 0.5 };
  const cand: LoadRun[] = [];
  const ref: LoadRun[] = [];
  const candWarm = await load(appUrl, warm);
  await load(refUrl, { ...r, durationS: 0.5 });
  const bad = (r: LoadRun): boolean => r.errors + r.timeouts + r.non2xx > 0;
  if (bad(candWarm)) {
    throw new CheckFailure('Under concurrent load some requests failed or did not answer 2xx.', {
      warmup: candWarm,
    });
  }
  for (let i = 0; i < runs; i++) {
    cand.push(await load(appUrl, o));
    ref.push(await load(refUrl, r));
  }
  const candRps = median(cand.map((r) => r.rps));
  const refRps = median(ref.map((r) => r.rps));
  const ratio = refRps > 0 ? candRps / refRps : 0;
  ctx.evidence.load = {
    candidate: cand,
    reference: ref,
    median_rps: { candidate: Math.round(candRps), reference: Math.round(refRps) },
    ratio,
  };
  const failed = cand.find(bad);
  if (failed)
    throw new CheckFailure('Under concurrent load some requests failed or did not answer 2xx.', {
      run: failed,
    });
  const min = opts.minRatio ?? 0.5;
  if (ratio < min) {
    throw new CheckFailure(
      `Throughput was ${Math.round(ratio * 100)}% of the reference solution's on the same data (needs at least ${Math.round(min * 100)}%).`,
    );
  }
  return { ratio };
}
