/**
 * The auth-service challenge graded by the real runner (PostgreSQL + Redis pod, the pod's JWT_SECRET, the
 * reference beside the candidate): its wrong solution that logs request bodies passes every check but the
 * one about secrets in the service log, which the runner decides from the candidate's log after the run.
 * One grading (the full `challenge validate` is run by hand: docs/auth-service.md).
 */
import path from 'node:path';
import Docker from 'dockerode';
import type { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { LABELS } from '../../../runner/sandbox/labels';
import { createTestEnvironment, testWorkerId, validateNamedSolution } from '../../support/test-environment';

const CHALLENGES_DIR = path.join(__dirname, '..', '..', '..', 'challenges');
const worker = testWorkerId('test-auth');
let env: GradingEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment({ challengesDir: CHALLENGES_DIR, workerId: worker });
});

afterAll(async () => {
  await env?.close();
});

it('fails only the service-log check of a solution that logs passwords, from the log the runner read', async () => {
  const v = await validateNamedSolution(env, 'auth-service', 'wrong/password-in-log');
  const failing = v.report.tests.filter((t) => t.status !== 'pass');
  if (!v.ok) console.error(v.problems, failing);
  expect(failing.map((t) => t.id)).toEqual(['s-no-secrets-in-log']);
  expect(failing[0]?.message).toMatch(/service log/);
  expect((failing[0]?.evidence as { log_leaks?: number }).log_leaks).toBeGreaterThan(0);
  expect(JSON.stringify(v.report.tests)).not.toContain('log_must_not_contain');
  expect(v.problems).toEqual([]);
  // Every other security check passed, the JWT ones with the pod's generated key.
  expect(v.report.tests.find((t) => t.id === 's-jwt-expiry')?.status).toBe('pass');
});

it('leaves no container of its grading', async () => {
  const left = await new Docker().listContainers({
    all: true,
    filters: { label: [`${LABELS.version}=1`, `${LABELS.worker}=${worker}`] },
  });
  expect(left).toEqual([]);
});
