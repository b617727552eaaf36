import type { Figure } from './figure';

/** One of the project's performance targets, judged on medians. */
export interface TargetResult {
  target: string;
  /** The measured value the target is judged on, and the limit it is compared with. */
  value: number;
  limit: number;
  met: boolean;
}

const med = (figures: Record<string, Figure>, name: string): number | undefined =>
  figures[name]?.summary.median;

/**
 * Judges the performance targets on medians: pod_ready ≤ 1.5 × floor_pod_pg; overhead ≤ 1,000 ms (each with the
 * warm pool and, as a separate row, with cold pods); throughput at
 * concurrency 2 ≥ 1.6 × concurrency 1; api_submit_p99 ≤ 50 ms at 300 requests/s. Targets whose figures were
 * not measured are left out.
 */
export function judgeTargets(figures: Record<string, Figure>): TargetResult[] {
  const out: TargetResult[] = [];
  const add = (target: string, value: number | undefined, limit: number | undefined): void => {
    if (value === undefined || limit === undefined) return;
    const r = (x: number): number => Math.round(x * 10) / 10;
    out.push({ target, value: r(value), limit: r(limit), met: value <= limit });
  };
  const floorPg = med(figures, 'floor_pod_pg_ms');
  add('pod_ready_ms ≤ 1.5 × floor_pod_pg_ms', med(figures, 'pod_ready_ms'), floorPg && 1.5 * floorPg);
  // The same target for a grading that finds no warm pod (WARM_PODS=0, or a burst larger than the pool).
  add(
    'pod_ready_cold_ms ≤ 1.5 × floor_pod_pg_ms',
    med(figures, 'pod_ready_cold_ms'),
    floorPg && 1.5 * floorPg,
  );
  add('overhead_ms ≤ 1,000 ms', med(figures, 'overhead_ms'), 1000);
  add('overhead_cold_ms ≤ 1,000 ms', med(figures, 'overhead_cold_ms'), 1000);
  const c1 = med(figures, 'throughput_per_min_c1');
  const c2 = med(figures, 'throughput_per_min_c2');
  // Stated as "c1 × 1.6 ≤ c2", i.e. value = 1.6 × c1 must not exceed c2.
  if (c1 !== undefined && c2 !== undefined)
    out.push({
      target: 'throughput_per_min_c2 ≥ 1.6 × throughput_per_min_c1',
      value: Math.round(c2 * 100) / 100,
      limit: Math.round(1.6 * c1 * 100) / 100,
      met: c2 >= 1.6 * c1,
    });
  add('api_submit_p99_ms ≤ 50 ms at 300 requests/s', med(figures, 'api_submit_p99_ms'), 50);
  return out;
}
