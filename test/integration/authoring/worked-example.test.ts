/**
 * The worked example of docs/authoring.md (test/fixtures/authoring-example/shelf, made by following the guide):
 * lint finds nothing, `challenge validate` gives every solution its expected verdict and `challenge mutate`
 * sees every built-in mutant caught. Its grading is
 * cheap: a 20-row seed and no reference run.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { lintChallenge } from '../../../runner/authoring/lint-challenge';
import { loadRunnerConfig } from '../../../runner/config';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { solutionsOf, validateSolution } from '../../../runner/grading/validate-challenge';
import { logger } from '../../../runner/lib/logger';
import { mutateChallenge } from '../../../runner/mutation/mutate-challenge';

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

  it('passes challenge mutate: every built-in mutant of the reference is caught', async () => {
    const report = await mutateChallenge(env!, 'shelf');
    expect(report.mutants.map((m) => [m.id, m.outcome, m.caughtBy.map((c) => c.id)])).toEqual([
      ['sql-concatenation', 'caught', ['c-item-create']],
      ['per-row-query', 'caught', ['q-items-list-statements']],
    ]);
  });
});
