/** Summary of repeated measurements of one figure (same unit as the samples). */
export interface Summary {
  min: number;
  median: number;
  /** 95th percentile, nearest-rank method (NIST/Hyndman & Fan definition 1). */
  p95: number;
  /** How many measurements the summary is made of. */
  runs: number;
  samples: number[];
}

/** Value at percentile `p` (0–100) of `xs` by the nearest-rank method; NaN for an empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

/** Median of `xs` (mean of the two middle values for an even count); NaN for an empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * min/median/p95 of `samples`, rounded to 0.1 from 100 up and to three significant digits below (so small
 * figures such as 1.25 submissions per minute keep the precision their ratios need). Throws when `samples`
 * is empty.
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const r = (x: number): number =>
    Math.abs(x) >= 100 || x === 0 ? Math.round(x * 10) / 10 : Number(x.toPrecision(3));
  return {
    min: r(Math.min(...samples)),
    median: r(median(samples)),
    p95: r(percentile(samples, 95)),
    runs: samples.length,
    samples: samples.map(r),
  };
}
