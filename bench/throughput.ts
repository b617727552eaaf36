import type { BenchStack } from './bench-stack';

/** One throughput measurement at one runner concurrency. */
export interface ThroughputSample {
  concurrency: number;
  submissions: number;
  /** Submissions graded per minute, from the runner being ready to the last report stored. */
  perMin: number;
  /** Submissions that did not end `completed` with a non-error report. */
  failures: number;
  /** Overall scores of the reports (the reference solution scores 100). */
  scores: number[];
  wallMs: number;
}

/**
 * Queues `count` copies of `archive` while no runner runs (the workers are paused), then starts a runner
 * with `concurrency` and times until every report is stored. The runner is stopped afterwards.
 * Throws when they do not all finish within `timeoutMs`.
 */
export async function measureThroughput(
  stack: BenchStack,
  challengeId: string,
  archive: Buffer,
  count: number,
  concurrency: number,
  timeoutMs: number,
): Promise<ThroughputSample> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await stack.submit(challengeId, archive)).id);
  await stack.startRunner(concurrency);
  const t0 = Date.now();
  try {
    const docs = await stack.waitFinished(ids, timeoutMs);
    const last = Math.max(...docs.map((d) => d.updatedAt.getTime()));
    const wallMs = last - t0;
    return {
      concurrency,
      submissions: count,
      perMin: (count * 60_000) / wallMs,
      failures: docs.filter((d) => d.status !== 'completed' || !d.report || d.report.status === 'error')
        .length,
      scores: docs.map((d) => d.report?.scores.overall ?? 0),
      wallMs,
    };
  } finally {
    await stack.stopRunner();
  }
}
