import type { GraderCheck, GraderOutput } from '../runner/contract/grade-result.schema';

/** Prefix of every grader → runner event line on stdout; anything else the grader prints is a log line. */
export const EVENT_PREFIX = '@@stackgrade ';

/** Events the grader emits, in order: `ref-ready` (optional), one `check` per check, then `done`. */
export type GraderEvent =
  | { event: 'ref-ready' }
  | { event: 'candidate-ready' }
  | { event: 'check'; check: GraderCheck }
  | { event: 'done'; output: GraderOutput };

/** Writes one event line to stdout (synchronously, so the order is kept even if the process dies next). */
export function emit(ev: GraderEvent): void {
  process.stdout.write(`${EVENT_PREFIX}${JSON.stringify(ev)}\n`);
}
