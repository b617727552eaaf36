/**
 * The worked example of docs/authoring.md (test/fixtures/authoring-example/shelf, made by following the guide):
 * lint finds nothing and `challenge validate` gives every solution its expected verdict. Its grading is
 * cheap: a 20-row seed and no reference run.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { lintChallenge } from '../../../runner/authoring/lint-challenge';
import { loadRunnerConfig } from '../../../runner/config';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { solutionsOf, validateSolution } from '../../../runner/grading/validate-challenge';
import { logger } from '../../../runner/lib/logger';

const ROOT = path.resolve(__dirname, '..', '..', 'fixtures', 'authoring-example');
let env: GradingEnvironment | undefined;
afterAll(() => env?.close());

describe('the authoring guide worked example (shelf)', () => {
  it('passes challenge lint without a finding', async () => {
    expect(await lintChallenge(path.join(ROOT, 'shelf'))).toEqual([]);
  });

  it('passes challenge validate: reference, starter, wrong/leaky-errors and wrong/no-location', async () => {
    env = await GradingEnvironment.create(
      loadRunnerConfig({
        ...process.env,
        CHALLENGES_DIR: ROOT,
        WORKER_ID: `test-guide-${randomUUID().slice(0, 8)}`,
        LOG_LEVEL: 'warn',
      }),
      logger.child({}, { level: 'warn' }),
    );
    const solutions = await solutionsOf(path.join(ROOT, 'shelf'));
    expect(solutions.map((s) => s.name)).toEqual([
      'reference',
      'starter',
      'wrong/leaky-errors',
      'wrong/no-location',
    ]);
    for (const s of solutions) {
      const v = await validateSolution(env, 'shelf', s);
      if (!v.ok)
        console.error(
          s.name,
          v.problems,
          v.report.tests.map((t) => [t.id, t.status, t.message]),
        );
      expect([s.name, v.problems]).toEqual([s.name, []]);
    }
  });
});
