/**
 * `stackgrade challenge new` as a new author uses it: for each runtime with templates, a package is made in
 * a fresh folder, `challenge lint` finds nothing, and `challenge validate` (the real runner: Docker pods,
 * seeded PostgreSQL, gVisor where registered) gives every solution its expected verdict as generated.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lintChallenge } from '../../../runner/authoring/lint-challenge';
import { newChallenge, SCAFFOLDS } from '../../../runner/authoring/new-challenge';
import { loadRunnerConfig } from '../../../runner/config';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { solutionsOf, validateSolution } from '../../../runner/grading/validate-challenge';
import { logger } from '../../../runner/lib/logger';

const combos = Object.entries(SCAFFOLDS).map(([runtime, services]) => [runtime, services[0]!] as const);

describe.each(combos)('challenge new --runtime %s --service %s', (runtime, service) => {
  let root: string;
  let env: GradingEnvironment | undefined;
  const id = `new-${runtime}-${service}`;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sg-new-'));
    await newChallenge({ id, parentDir: root, runtime, service });
  });
  afterAll(async () => {
    await env?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('makes a package that challenge lint finds nothing in', async () => {
    expect(await lintChallenge(path.join(root, id))).toEqual([]);
  });

  it('refuses to overwrite it', async () => {
    await expect(newChallenge({ id, parentDir: root, runtime, service })).rejects.toThrow(/already exists/);
  });

  it('passes challenge validate as generated: reference, starter and wrong/leaky-errors', async () => {
    env = await GradingEnvironment.create(
      loadRunnerConfig({
        ...process.env,
        CHALLENGES_DIR: root,
        WORKER_ID: `test-new-${randomUUID().slice(0, 8)}`,
        LOG_LEVEL: 'warn',
      }),
      logger.child({}, { level: 'warn' }),
    );
    const solutions = await solutionsOf(path.join(root, id));
    expect(solutions.map((s) => s.name)).toEqual(['reference', 'starter', 'wrong/leaky-errors']);
    for (const s of solutions) {
      const v = await validateSolution(env, id, s);
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
