/**
 * A GradingEnvironment for integration tests: the real runner (Docker pods, gVisor where registered) over a
 * chosen challenge folder, logging at `warn`, with its own worker id so a test finds and checks only its own
 * containers (label `io.stackgrade.worker`).
 */
import { randomUUID } from 'node:crypto';
import { loadRunnerConfig } from '../../runner/config';
import { GradingEnvironment } from '../../runner/grading/grading-environment';
import {
  type SolutionValidation,
  solutionsOf,
  validateSolution,
} from '../../runner/grading/validate-challenge';
import { logger } from '../../runner/lib/logger';

/** A worker id `<prefix>-<8 hex>`, unique per test file run. */
export function testWorkerId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Starts a grading environment over `challengesDir` (the repository's `challenges/` when absent) as worker
 * `workerId`. The caller closes it (`env.close()`).
 */
export async function createTestEnvironment(o: {
  workerId: string;
  challengesDir?: string;
}): Promise<GradingEnvironment> {
  return GradingEnvironment.create(
    loadRunnerConfig({
      ...process.env,
      ...(o.challengesDir ? { CHALLENGES_DIR: o.challengesDir } : {}),
      WORKER_ID: o.workerId,
      LOG_LEVEL: 'warn',
    }),
    logger.child({}, { level: 'warn' }),
  );
}

/**
 * Grades the solution `name` of a challenge (`reference`, `starter`, `wrong/<x>`, …) as `challenge validate`
 * does. Throws when the challenge has no solution of that name.
 */
export async function validateNamedSolution(
  env: GradingEnvironment,
  challengeId: string,
  name: string,
): Promise<SolutionValidation> {
  const s = (await solutionsOf(env.challenge(challengeId).dir)).find((x) => x.name === name);
  if (!s) throw new Error(`${challengeId} has no solution ${name}`);
  return validateSolution(env, challengeId, s);
}
