import os from 'node:os';
import type { ReportTest } from '../runner/contract/grade-result.schema';
import type { BenchStack } from './bench-stack';

/** One submission's way through the system, ms. */
export interface EndToEndSample {
  /** From sending POST /v1/submissions until the report is stored. */
  e2eMs: number;
  /** Time inside the hidden tests: the sum of the grader's check durations (report timings `checks`). */
  testsMs: number;
  /** e2e − tests: everything that is not a hidden test (queue, install, pod, grader start-up, store). */
  overheadMs: number;
  /** The report's own timings (pod marks, ms from the pod's start; `prepare` from the grading's start). */
  timings: Record<string, number>;
  score: number;
  /** The report's checks (with their `duration_ms`). */
  tests: ReportTest[];
  /** 1-minute load average when the report was stored. */
  load: number;
}

/**
 * Submits `archive` once through the running API and waits until the running runner stored its report.
 * Throws when the submission ends `error`, has no check timings, or does not finish within `timeoutMs`.
 */
export async function measureEndToEnd(
  stack: BenchStack,
  challengeId: string,
  archive: Buffer,
  timeoutMs = 600_000,
): Promise<EndToEndSample> {
  const { id, sentAt } = await stack.submit(challengeId, archive);
  const [doc] = await stack.waitFinished([id], timeoutMs);
  if (!doc || doc.status !== 'completed' || !doc.report || doc.report.status === 'error')
    throw new Error(`submission ${id} ended ${doc?.status}: ${doc?.report?.message ?? ''}`);
  const timings = { ...doc.report.sandbox.timings_ms };
  const testsMs = timings.checks;
  if (testsMs === undefined) throw new Error(`submission ${id} has no check timings`);
  const e2eMs = doc.updatedAt.getTime() - sentAt;
  // Queue wait, job pick-up, archive read and the report's store: e2e minus what the grading timed itself.
  if (timings.prepare !== undefined && timings.total !== undefined)
    timings.outside_grading = e2eMs - timings.prepare - timings.total;
  return {
    e2eMs,
    testsMs,
    overheadMs: e2eMs - testsMs,
    timings,
    score: doc.report.scores.overall,
    tests: doc.report.tests,
    load: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}
