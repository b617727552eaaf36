/**
 * `stackgrade challenge validate` as a test: every solution of every challenge graded by the real runner
 * (real Docker pods, seeded PostgreSQL, gVisor where registered) must get its expected verdict, and no
 * container of a run may be left behind. The reference and starter run in cold pods, every wrong/ solution in
 * a warm pod of a pool of one. Closing the environment removes its warm pods and its worker's work root.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import Docker from 'dockerode';
import { loadRunnerConfig } from '../../../runner/config';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { workerRoot } from '../../../runner/grading/work-folders';
import { solutionsOf, validateSolution } from '../../../runner/grading/validate-challenge';
import { logger } from '../../../runner/lib/logger';
import { LABELS } from '../../../runner/sandbox/labels';
import { WarmPodPool } from '../../../runner/grading/warm-pod-pool';
import type { GradeReport } from '../../../runner/contract/grade-result.schema';
import { mutateChallenge } from '../../../runner/mutation/mutate-challenge';

let env: GradingEnvironment;
let referenceReport: GradeReport | undefined;
const docker = new Docker();
// This process's runs are told apart by their worker label: another Stackgrade on the same Docker engine
// (a second test run, a runner, a benchmark) may have pods of its own up while these tests run.
const worker = `test-validate-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  env = await GradingEnvironment.create(
    loadRunnerConfig({ ...process.env, WORKER_ID: worker, LOG_LEVEL: 'warn' }),
    logger.child({}, { level: 'warn' }),
  );
});

describe('challenge orders-api', () => {
  it('lists a reference, a starter and at least three wrong solutions', async () => {
    const names = (await solutionsOf(env.challenge('orders-api').dir)).map((s) => s.name);
    expect(names.slice(0, 2)).toEqual(['reference', 'starter']);
    expect(names.filter((n) => n.startsWith('wrong/')).length).toBeGreaterThanOrEqual(3);
  });

  // The reference and the starter are graded in cold pods; then a warm pod pool of one is started and every
  // wrong/ solution (and the mutant) is graded in a warm pod, so both paths are held to the same verdicts.
  const containersLeft = async (): Promise<Docker.ContainerInfo[]> =>
    docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.version}=1`, `${LABELS.worker}=${worker}`] },
    });

  it.each(['reference', 'starter'])(
    'when %s is graded in a cold pod, it gets its expected verdict and leaves no container',
    async (name) => {
      const s = (await solutionsOf(env.challenge('orders-api').dir)).find((x) => x.name === name);
      expect(s).toBeDefined();
      const v = await validateSolution(env, 'orders-api', s!);
      if (!v.ok)
        console.error(
          name,
          v.problems,
          v.report.tests.filter((t) => t.status !== 'pass').map((t) => [t.id, t.message]),
        );
      expect(v.problems).toEqual([]);
      expect(v.report.sandbox.timings_ms.warm_pod).toBeUndefined();
      if (name === 'reference') {
        referenceReport = v.report;
        expect(v.report.scores.overall).toBe(100);
        expect(['runsc', 'runc']).toContain(v.report.sandbox.runtime);
      }
      expect(await containersLeft()).toEqual([]);
    },
  );

  const wrongs = [
    'wrong/idor',
    'wrong/mass-assignment',
    'wrong/n-plus-one',
    'wrong/no-index',
    'wrong/offset-pagination',
    'wrong/sql-injection',
  ];
  it.each(wrongs)(
    'when %s is graded in a warm pod, it fails exactly its expected checks; only the refilling warm pod is left',
    async (name) => {
      const ch = env.challenge('orders-api');
      const key = WarmPodPool.key('orders-api', ch.manifest.version, ch.manifest.runtimes[0]!);
      const pool = (await env.startWarmPool(1, 600_000))!;
      await pool.whenFull(key);
      const s = (await solutionsOf(ch.dir)).find((x) => x.name === name);
      expect(s).toBeDefined();
      const v = await validateSolution(env, 'orders-api', s!);
      if (!v.ok)
        console.error(
          name,
          v.problems,
          v.report.tests.filter((t) => t.status !== 'pass').map((t) => [t.id, t.message]),
        );
      expect(v.problems).toEqual([]);
      expect(v.report.sandbox.timings_ms.warm_pod).toBe(1);
      expect(v.report.tests.filter((t) => t.status !== 'pass').length).toBeGreaterThan(0);
      const left = await containersLeft();
      expect(left.filter((c) => c.Labels[LABELS.pool] === undefined)).toEqual([]);
      // The pool also keeps a warm pod for every other challenge of the catalog; orders-api's is the refill.
      const ordersPods = left.filter((c) => c.Labels[LABELS.pool] === key);
      expect(new Set(ordersPods.map((c) => c.Labels[LABELS.runId])).size).toBeLessThanOrEqual(1);
    },
  );

  it('challenge mutate: the per-row-query mutant of the reference (pg shim in the pod) is caught by the N+1 checks', async () => {
    const report = await mutateChallenge(env, 'orders-api', {
      kinds: ['per-row-query'],
      ...(referenceReport ? { baseline: referenceReport } : {}),
    });
    expect(report.mutants.map((m) => [m.id, m.outcome])).toEqual([['per-row-query', 'caught']]);
    expect(report.mutants[0]!.caughtBy.map((c) => c.category)).toContain('query_optimization');
    expect(report.byKind['per-row-query']).toEqual({ total: 1, caught: 1 });
  });

  it("close() removes the warm pods and this worker's work root, left empty by the gradings", async () => {
    const root = workerRoot(env.ctx.config.STACKGRADE_HOME, worker);
    expect((await fs.stat(root)).isDirectory()).toBe(true);
    await env.close();
    await env.settleRemovals();
    expect(await containersLeft()).toEqual([]);
    await expect(fs.stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
