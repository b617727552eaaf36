import { z } from 'zod';

/**
 * Stages a submission goes through as a candidate watches it: `queued` (stored, waiting for a runner),
 * `installing` (the runner installs its dependencies), `pod_starting` (a pod is taken or started),
 * `checks` (the service answered; the grader runs its checks), `done` (a report or an error is stored).
 */
export const gradingStageSchema = z.enum(['queued', 'installing', 'pod_starting', 'checks', 'done']);
export type GradingStage = z.infer<typeof gradingStageSchema>;

/**
 * One progress event of a grading, as the runner publishes it (BullMQ job progress) and the API relays it
 * (Server-Sent Events). `checks_done` / `checks_total` are set in the `checks` stage: checks finished so
 * far and the challenge's number of checks.
 */
export const gradingProgressSchema = z.object({
  stage: gradingStageSchema,
  checks_done: z.number().int().min(0).optional(),
  checks_total: z.number().int().min(0).optional(),
  /**
   * The stages this grading attempt has entered so far, in order, this event's last (set by the runner): a
   * watcher that connects after some of them replays them.
   */
  reached: z.array(gradingStageSchema).max(gradingStageSchema.options.length).optional(),
});
export type GradingProgress = z.infer<typeof gradingProgressSchema>;

/**
 * True when `next` is further along than `prev`: a later stage, or more checks done within `checks`. A
 * stream that forwards only such events never goes backwards or repeats itself.
 */
export function isLaterProgress(next: GradingProgress, prev: GradingProgress): boolean {
  const order = gradingStageSchema.options;
  const a = order.indexOf(next.stage);
  const b = order.indexOf(prev.stage);
  if (a !== b) return a > b;
  return next.stage === 'checks' && (next.checks_done ?? 0) > (prev.checks_done ?? 0);
}
