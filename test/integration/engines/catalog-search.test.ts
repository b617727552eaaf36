/**
 * The catalog-search challenge (MongoDB by FerretDB + Redis) graded by the real runner, once: its
 * `wrong/cache-never-invalidated` solution (the reference without cache invalidation on PATCH) must pass
 * every hidden check but read-after-write, which proves in one grading that the checks pass a correct
 * service (caching, rate limit, injection probes, pagination, performance against the reference) and catch a
 * stale cache. The full `challenge validate` (reference 100, starter, every wrong/) is too long for npm test.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import { loadRunnerConfig } from '../../../runner/config';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { solutionsOf, validateSolution } from '../../../runner/grading/validate-challenge';
import { REPO_ROOT } from '../../../runner/lib/paths';
import { logger } from '../../../runner/lib/logger';
import { LABELS } from '../../../runner/sandbox/labels';

const worker = `test-catalog-${randomUUID().slice(0, 8)}`;
const docker = new Docker();
let env: GradingEnvironment;

beforeAll(async () => {
  env = await GradingEnvironment.create(
    loadRunnerConfig({
      ...process.env,
      CHALLENGES_DIR: path.join(REPO_ROOT, 'challenges'),
      WORKER_ID: worker,
      LOG_LEVEL: 'warn',
    }),
    logger.child({}, { level: 'warn' }),
  );
});

afterAll(async () => {
  await env?.close();
});

it('fails a solution whose cache is never invalidated on read-after-write only, with evidence from Redis and the store', async () => {
  const s = (await solutionsOf(env.challenge('catalog-search').dir)).find(
    (x) => x.name === 'wrong/cache-never-invalidated',
  );
  expect(s).toBeDefined();
  const v = await validateSolution(env, 'catalog-search', s!);
  if (!v.ok)
    console.error(
      v.problems,
      v.report.tests.filter((t) => t.status !== 'pass'),
    );
  expect(v.problems).toEqual([]);
  const failed = v.report.tests.filter((t) => t.status !== 'pass').map((t) => t.id);
  expect(failed).toEqual(['c-read-after-write']);
  const byId = new Map(v.report.tests.map((t) => [t.id, t]));
  const cached = byId.get('q-detail-cached')?.evidence as {
    redis?: { keyspace_hits: number };
    store_statements?: unknown[];
  };
  expect(cached.redis?.keyspace_hits).toBeGreaterThanOrEqual(1);
  expect(cached.store_statements).toEqual([]);
  expect(byId.get('c-read-after-write')?.message).toMatch(/stale value/);
});

it('leaves no container of its grading', async () => {
  const left = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.version}=1`, `${LABELS.worker}=${worker}`] },
  });
  expect(left).toEqual([]);
});
