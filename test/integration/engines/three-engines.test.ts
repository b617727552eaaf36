/**
 * Database engines in one pod: the test challenge `three-engines` (PostgreSQL + Redis + MongoDB by FerretDB,
 * each with a reference twin) graded by the real runner. The reference passes a probe of each kind; a
 * solution without its Redis cache fails only the cache check; the candidate's service cannot reach the
 * twins, admin commands or private data it was not given; no container is left.
 */
import path from 'node:path';
import Docker from 'dockerode';
import type { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { LABELS } from '../../../runner/sandbox/labels';
import { createTestEnvironment, testWorkerId, validateNamedSolution } from '../../support/test-environment';

const CHALLENGES_DIR = path.join(__dirname, 'challenge');
const worker = testWorkerId('test-engines');
const docker = new Docker();
let env: GradingEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment({ challengesDir: CHALLENGES_DIR, workerId: worker });
});

afterAll(async () => {
  await env?.close();
});

async function grade(name: string) {
  return validateNamedSolution(env, 'three-engines', name);
}

it('grades the reference at 100 with a probe of each engine, and its service reaches nothing it was not given', async () => {
  const v = await grade('reference');
  const byId = new Map(v.report.tests.map((t) => [t.id, t]));
  if (!v.ok)
    console.error(
      v.problems,
      v.report.tests.filter((t) => t.status !== 'pass'),
    );
  expect(v.problems).toEqual([]);
  expect(v.report.scores.overall).toBe(100);
  const reach = (byId.get('s-isolation')?.evidence as { reach?: Record<string, string> }).reach;
  expect(reach).toEqual({
    postgres_twin: 'denied',
    postgres_private: 'denied',
    redis_twin: 'denied',
    redis_config: 'denied',
    redis_monitor: 'denied',
    mongodb_twin: 'denied',
    mongodb_private: 'denied',
  });
  const seeded = byId.get('c-products-seeded')?.evidence as { seeded?: number };
  expect(seeded.seeded).toBe(250);
});

it('fails only the Redis cache check for a solution that does not cache, and the starter as expected', async () => {
  const wrong = await grade('wrong/no-cache');
  expect(wrong.problems).toEqual([]);
  expect(wrong.report.tests.filter((t) => t.status !== 'pass').map((t) => t.id)).toEqual(['q-note-cached']);
  const starter = await grade('starter');
  expect(starter.problems).toEqual([]);
  expect(starter.report.tests.find((t) => t.id === 'c-health')?.status).toBe('pass');
  expect(starter.report.tests.find((t) => t.id === 'c-note-stored')?.status).toBe('fail');
});

it('leaves no container of its gradings', async () => {
  const left = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.version}=1`, `${LABELS.worker}=${worker}`] },
  });
  expect(left).toEqual([]);
});
