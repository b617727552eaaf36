import type { GraderCheck, GraderOutput } from '../runner/contract/grade-result.schema';
import { EVENT_PREFIX } from '../runner/contract/grader-protocol';

export { CANDIDATE_STARTED_SIGNAL, EVENT_PREFIX } from '../runner/contract/grader-protocol';

/**
 * Events the grader emits, in order: `ref-ready` (optional), `awaiting-candidate` (then it waits for
 * {@link CANDIDATE_STARTED_SIGNAL}), `candidate-ready`, one `check` per check, then `done`.
 */
export type GraderEvent =
  | { event: 'ref-ready' }
  | { event: 'awaiting-candidate' }
  | { event: 'candidate-ready' }
  | { event: 'check'; check: GraderCheck }
  | { event: 'done'; output: GraderOutput };

/**
 * Queues one event line on stdout; lines keep their order. `flushed` is called once stdout has taken the
 * line (and so every line before it): exit only then, or a large line is cut short.
 */
export function emit(ev: GraderEvent, flushed?: () => void): void {
  process.stdout.write(`${EVENT_PREFIX}${JSON.stringify(ev)}\n`, flushed);
}
