import autocannon from 'autocannon';
import { CheckFailure, type CheckContext } from '../check';
import { CONFIDENCE, decideRatio, median, type RatioDecision } from './sequential-ratio';

/** One closed-loop load run against one service. */
export interface LoadRun {
  rps: number;
  /** How long the window lasted, s. */
  seconds: number;
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
  /**
   * Seconds of each measured window (default 1); a slow service is measured as slow, not waited for. Only
   * completed requests count, so a window much shorter than a stall of the machine measures nothing: 0.5 s
   * windows gave a correct service no completed request on a loaded 2-core machine.
   */
  windowS?: number;
  /** Seconds of the unmeasured warm-up of each service (default 1, what autocannon ran for "0.5 s" before). */
  warmupS?: number;
  /** Pairs of windows (candidate, reference) before the first early decision (default 3, at least 2). */
  minRuns?: number;
  /**
   * Most pairs of windows (default 6: 6 s of load per service, what three windows of "1.5 s" measured before
   * the decision became sequential, autocannon having rounded each up to 2 s); then the ratio of medians
   * decides alone.
   */
  maxRuns?: number;
  /** Passing ratio of candidate to reference throughput (default 0.5). */
  minRatio?: number;
}

interface LoadSettings {
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  durationS: number;
}

/**
 * autocannon checks its stop flag once per sample interval (`sampleInt`, default 1 s), so a 0.5 s run lasted
 * 1 s and a 1.5 s one 2 s; sampled every 50 ms a window lasts what it is asked to, to within 50 ms.
 */
const SAMPLE_INT_MS = 50;

function load(url: string, o: LoadSettings): Promise<LoadRun> {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: o.connections,
        duration: o.durationS,
        sampleInt: SAMPLE_INT_MS,
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
        const seconds = Math.max(r.duration, 0.001);
        resolve({
          rps: r.requests.total / seconds,
          seconds,
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

/**
 * Throughput of the candidate as a ratio to the reference solution, measured in the same pod on the same
 * data: one unmeasured warm-up each, then pairs of closed-loop windows (autocannon), the order within a pair
 * alternating (candidate first, then reference first) so that drift hits both alike, until the sequential
 * rule of {@link decideRatio} decides: early when the confidence interval of the ratio is clear of
 * `minRatio`, else on the ratio of medians after `maxRuns` pairs. Any error, timeout or non-2xx answer of
 * the candidate fails the check, since failing fast looks fast (docs/grading.md, "Performance ratios").
 * Throws CheckFailure below `minRatio`, Error without a reference.
 */
export async function compareThroughput(
  ctx: CheckContext,
  opts: ThroughputOptions,
): Promise<{ ratio: number }> {
  if (!ctx.ref)
    throw new Error(
      'performance checks need the reference solution (performance_reference in challenge.yaml)',
    );
  const o: LoadSettings = {
    paths: opts.paths,
    headers: opts.headers ?? {},
    connections: opts.connections ?? 8,
    durationS: opts.windowS ?? 1,
  };
  const min = opts.minRatio ?? 0.5;
  const rule = {
    minRatio: min,
    minRuns: Math.max(2, opts.minRuns ?? 3),
    maxRuns: Math.max(2, opts.maxRuns ?? 6),
  };
  const appUrl = ctx.app.baseUrl;
  const refUrl = ctx.ref.baseUrl;
  const r: LoadSettings = { ...o, headers: opts.refHeaders ?? o.headers };
  const warm = { ...o, durationS: opts.warmupS ?? 1 };
  const cand: LoadRun[] = [];
  const ref: LoadRun[] = [];
  const candWarm = await load(appUrl, warm);
  await load(refUrl, { ...r, durationS: warm.durationS });
  const bad = (r: LoadRun): boolean => r.errors + r.timeouts + r.non2xx > 0;
  if (bad(candWarm)) {
    throw new CheckFailure('Under concurrent load some requests failed or did not answer 2xx.', {
      warmup: candWarm,
    });
  }
  let decision: RatioDecision | null = null;
  do {
    if (cand.length % 2 === 0) {
      cand.push(await load(appUrl, o));
      ref.push(await load(refUrl, r));
    } else {
      ref.push(await load(refUrl, r));
      cand.push(await load(appUrl, o));
    }
    if (bad(cand.at(-1)!)) break;
    decision = decideRatio(
      cand.map((r) => r.rps),
      ref.map((r) => r.rps),
      rule,
      cand.map((r, i) => 0.5 / Math.max(r.seconds, ref[i]!.seconds)),
    );
  } while (decision.verdict === 'continue');
  const candRps = median(cand.map((r) => r.rps));
  const refRps = median(ref.map((r) => r.rps));
  const ratio = refRps > 0 ? candRps / refRps : 0;
  ctx.evidence.load = {
    candidate: cand,
    reference: ref,
    median_rps: { candidate: Math.round(candRps), reference: Math.round(refRps) },
    ratio,
    ...(decision
      ? {
          decision: {
            rule: decision.rule,
            pairs: decision.pairs,
            geometric_ratio: decision.geometricRatio,
            interval: decision.interval,
            confidence: CONFIDENCE,
          },
        }
      : {}),
  };
  const failed = cand.find(bad);
  if (failed)
    throw new CheckFailure('Under concurrent load some requests failed or did not answer 2xx.', {
      run: failed,
    });
  if (decision?.verdict === 'fail') {
    throw new CheckFailure(
      `Throughput was ${Math.round(ratio * 100)}% of the reference solution's on the same data (needs at least ${Math.round(min * 100)}%).`,
    );
  }
  return { ratio };
}
