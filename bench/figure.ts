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
  /** median / floor's median, rounded to 0.01 (null for a floor). */
  ratio: number | null;
}

/** Builds a figure; `floor` is the floor's name and figure when there is one. */
export function figure(
  unit: Figure['unit'],
  what: string,
  summary: Summary,
  floor?: { name: string; figure: Figure },
): Figure {
  return {
    unit,
    what,
    summary,
    floor: floor?.name ?? null,
    ratio: floor ? Math.round((summary.median / floor.figure.summary.median) * 100) / 100 : null,
  };
}
