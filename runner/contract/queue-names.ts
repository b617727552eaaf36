import { z } from 'zod';

/** BullMQ queue that carries grading jobs; job data is `{ submissionId }` only (no payload in clear text). */
export const GRADE_QUEUE = 'stackgrade-grade';

/**
 * The `QUEUE_NAME` setting of the API and the runner (they must agree): letters, digits, dot, underscore or
 * dash, no colon (BullMQ's key separator), default {@link GRADE_QUEUE}. `other` names the other side.
 */
export function queueNameSetting(other: 'API' | 'runner'): z.ZodDefault<z.ZodString> {
  return z
    .string()
    .regex(
      /^[A-Za-z0-9._-]{1,100}$/,
      'letters, digits, dot, underscore or dash (no colon: BullMQ key separator)',
    )
    .default(GRADE_QUEUE)
    .describe(`BullMQ queue of grading jobs (the ${other} must use the same name)`);
}

/** BullMQ job id of a submission: prefixed so it is never all digits and has no `:` (BullMQ custom ids). */
export function gradeJobId(submissionId: string): string {
  return `sub-${submissionId}`;
}

/**
 * Job options of every grading job, used by the API's producer and the runner's reconciler: 3 attempts,
 * exponential backoff from 5 s with 50 % jitter, completed jobs kept a day (at most 10,000), failed ones a
 * week (BullMQ "Going to production": removeOnComplete/removeOnFail as {age, count}).
 */
export const GRADE_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 },
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 604_800 },
} as const;
