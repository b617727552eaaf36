/**
 * The sequential decision of a throughput comparison (docs/grading.md, "Performance ratios"): after each
 * pair of interleaved load windows (candidate, reference), decide whether the candidate's throughput is at
 * least `minRatio` of the reference's, or whether more windows are needed.
 *
 * Each pair gives one log-ratio d = ln(candidate rps / reference rps); the pairs' mean and its Student-t
 * confidence interval (two-sided {@link CONFIDENCE}, per look) decide early when the interval lies wholly on
 * one side of ln(minRatio) and the ratio of medians (the fixed-window rule) agrees. Once `maxRuns` pairs
 * were measured the ratio of medians decides alone, exactly as a fixed measurement of that length would.
 */

/** Two-sided confidence of the interval at each look. */
export const CONFIDENCE = 0.99;

/**
 * Student t quantiles t(0.995; df) for df = 1..30 (two-sided 99 %), from the standard table (NIST/SEMATECH
 * e-Handbook of Statistical Methods, 1.3.6.7.2 "Critical Values of the Student's t Distribution"). Beyond
 * df 30 the df-30 value is used, which is wider than the exact one (conservative).
 */
const T_995 = [
  63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947,
  2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.75,
];

/** t(0.995; df) for df ≥ 1 (see {@link T_995}). */
export function tQuantile995(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be ≥ 1, got ${df}`);
  return T_995[Math.min(df, T_995.length) - 1]!;
}

/** The median of `xs` (the lower middle value for an even count; 0 when empty). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
}

/** What {@link decideRatio} concluded after the windows measured so far. */
export interface RatioDecision {
  /** `pass`/`fail` once decided; `continue` while more windows are needed. */
  verdict: 'pass' | 'fail' | 'continue';
  /** `interval`: decided early by the confidence interval; `max`: by the ratio of medians at `maxRuns`. */
  rule: 'interval' | 'max' | null;
  /** Pairs of windows measured. */
  pairs: number;
  /** Candidate median rps ÷ reference median rps (0 when the reference served nothing). */
  ratio: number;
  /** exp of the mean log-ratio and its confidence interval; null below two pairs. */
  geometricRatio: number | null;
  interval: [number, number] | null;
}

/** Options of {@link decideRatio}. */
export interface RatioRule {
  minRatio: number;
  /** Pairs measured before the first early decision (≥ 2). */
  minRuns: number;
  /** Pairs after which the ratio of medians decides. */
  maxRuns: number;
}

/**
 * Decides a throughput comparison from the rps of each window so far (`cand[i]` and `ref[i]` measured as
 * a pair). A window that served nothing counts as 0.5 requests over its length (`floorRps` each), so its
 * log-ratio stays finite and strongly negative. Pure; throws RangeError when the arrays differ in length.
 */
export function decideRatio(
  cand: readonly number[],
  ref: readonly number[],
  rule: RatioRule,
  floorRps: readonly number[] = cand.map(() => 0.5),
): RatioDecision {
  if (cand.length !== ref.length) throw new RangeError('candidate and reference windows must pair up');
  const n = cand.length;
  const refMed = median(ref);
  const ratio = refMed > 0 ? median(cand) / refMed : 0;
  const base = { pairs: n, ratio };
  if (n < 2) return { ...base, verdict: 'continue', rule: null, geometricRatio: null, interval: null };
  const d = cand.map((c, i) => {
    const f = floorRps[i] ?? 0.5;
    return Math.log(Math.max(c, f) / Math.max(ref[i]!, f));
  });
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile995(n - 1) * sd) / Math.sqrt(n);
  const interval: [number, number] = [Math.exp(mean - half), Math.exp(mean + half)];
  const withStats = { ...base, geometricRatio: Math.exp(mean), interval };
  const threshold = Math.log(rule.minRatio);
  if (n >= rule.minRuns) {
    if (mean - half > threshold && ratio >= rule.minRatio)
      return { ...withStats, verdict: 'pass', rule: 'interval' };
    if (mean + half < threshold && ratio < rule.minRatio)
      return { ...withStats, verdict: 'fail', rule: 'interval' };
  }
  if (n >= rule.maxRuns)
    return { ...withStats, verdict: ratio >= rule.minRatio ? 'pass' : 'fail', rule: 'max' };
  return { ...withStats, verdict: 'continue', rule: null };
}
