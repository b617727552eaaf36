import type { Summary } from './stats';

/** One measured figure, reported next to the floor it is compared with (a measurement of the same run). */
export interface Figure {
  /** Unit of `min`/`median`/`p95`: `ms`, `per_min`, `rps` or `mb` (MiB). */
  unit: 'ms' | 'per_min' | 'rps' | 'mb';
  /** What was measured, in one line. */
  what: string;
  summary: Summary;
  /** Name of the floor figure, or null for a floor itself. */
  floor: string | null;
  /**
   * median / floor's median to 3 significant digits (null for a floor): a warm pod's few ms over a floor of
   * ~500 ms is 0.00583, which rounding to 0.01 turned into 0 in a run.
   */
  ratio: number | null;
  /**
   * 1-minute load average of the machine (os.loadavg, proc(5) /proc/loadavg) when each sample was taken:
   * median and max; null when not recorded. On 2 cores, above ~2 means the figure waited for CPU.
   */
  load: { median: number; max: number } | null;
}

/** Builds a figure; `floor` is the floor's name and figure when there is one; `loads` the load averages at its samples. */
export function figure(
  unit: Figure['unit'],
  what: string,
  summary: Summary,
  floor?: { name: string; figure: Figure },
  loads: readonly number[] = [],
): Figure {
  const sorted = [...loads].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 100) / 100;
  return {
    unit,
    what,
    summary,
    floor: floor?.name ?? null,
    ratio: floor ? Number((summary.median / floor.figure.summary.median).toPrecision(3)) : null,
    load: sorted.length
      ? { median: r(sorted[(sorted.length - 1) >> 1]!), max: r(sorted[sorted.length - 1]!) }
      : null,
  };
}
