/**
 * `stackgrade challenge new` as a new author uses it: a package per runtime (node22, python3, go) and per
 * engine (PostgreSQL, MongoDB, Redis), three combinations covering each, made in a fresh folder, and
 * `challenge validate` (the real runner: Docker pods, seeded engines, gVisor where registered) gives every
 * solution its expected verdict as generated. One grading environment serves the three. The unit test
 * test/unit/authoring/new-challenge.test.ts lints all nine combinations.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newChallenge } from '../../../runner/authoring/new-challenge';
import { loadRunnerConfig } from '../../../runner/config';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { solutionsOf, validateSolution } from '../../../runner/grading/validate-challenge';
import { logger } from '../../../runner/lib/logger';

/** Each runtime once and each engine once. */
const GRADED = [
  ['node22', 'postgres'],
  ['python3', 'mongodb'],
  ['go', 'redis'],
] as const;

describe('challenge new, then challenge validate', () => {
  let root: string;
  let env: GradingEnvironment | undefined;
  const idOf = (runtime: string, service: string): string => `new-${runtime}-${service}`;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sg-new-'));
    for (const [runtime, service] of GRADED)
      await newChallenge({ id: idOf(runtime, service), parentDir: root, runtime, service });
    env = await GradingEnvironment.create(
      loadRunnerConfig({
        ...process.env,
        CHALLENGES_DIR: root,
        WORKER_ID: `test-new-${randomUUID().slice(0, 8)}`,
        LOG_LEVEL: 'warn',
      }),
      logger.child({}, { level: 'warn' }),
    );
  });
  afterAll(async () => {
    await env?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses to overwrite a package', async () => {
    await expect(
      newChallenge({
        id: idOf('node22', 'postgres'),
        parentDir: root,
        runtime: 'node22',
        service: 'postgres',
      }),
    ).rejects.toThrow(/already exists/);
  });

  it.each(GRADED)(
    '--runtime %s --service %s passes as generated: reference, starter and wrong/leaky-errors',
    async (runtime, service) => {
      const id = idOf(runtime, service);
      const solutions = await solutionsOf(path.join(root, id));
      expect(solutions.map((s) => s.name)).toEqual(['reference', 'starter', 'wrong/leaky-errors']);
      for (const s of solutions) {
        const v = await validateSolution(env!, id, s);
        if (!v.ok)
          console.error(
            id,
            s.name,
            v.problems,
            v.report.tests.map((t) => [t.id, t.status, t.message]),
          );
        expect([s.name, v.problems]).toEqual([s.name, []]);
      }
    },
  );
});
