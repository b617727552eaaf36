/**
 * Determinism of grading: the reference of each challenge (DETERMINISM_CHALLENGES, comma-separated, default
 * orders-api and catalog-search) graded N times (DETERMINISM_RUNS, default 10) by the real runner gets
 * identical verdicts on every check outside the performance category, and performance scores within one
 * scoring band (the share of one performance check). Run with `npm run test:determinism`; not part of
 * `npm test` because ten gradings take about ten minutes per challenge.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { loadRunnerConfig } from '../../runner/config';
import type { GradeReport } from '../../runner/contract/grade-result.schema';
import { readSolutionDir } from '../../runner/grading/grade-submission';
import { GradingEnvironment } from '../../runner/grading/grading-environment';
import { logger } from '../../runner/lib/logger';

const RUNS = Number(process.env.DETERMINISM_RUNS ?? 10);
const CHALLENGES = (process.env.DETERMINISM_CHALLENGES ?? 'orders-api,catalog-search')
  .split(',')
  .map((c) => c.trim())
  .filter(Boolean);

describe.each(CHALLENGES)(`grading the %s reference ${RUNS} times`, (CHALLENGE) => {
  const reports: GradeReport[] = [];

  beforeAll(async () => {
    const env = await GradingEnvironment.create(
      loadRunnerConfig({ ...process.env, LOG_LEVEL: 'warn' }),
      logger.child({}, { level: 'warn' }),
    );
    const files = await readSolutionDir(path.join(env.challenge(CHALLENGE).dir, 'reference'));
    for (let i = 0; i < RUNS; i++) {
      reports.push(await env.grade(CHALLENGE, { files, submissionId: crypto.randomUUID(), attempt: 1 }));
      await env.settleRemovals();
    }
    await env.close();
    const perf = reports.map((r) =>
      r.tests.filter((t) => t.category === 'performance').map((t) => `${t.id}=${t.status}`),
    );
    console.log(
      JSON.stringify({
        challenge: CHALLENGE,
        runs: RUNS,
        overall: reports.map((r) => r.scores.overall),
        performance: reports.map((r) => r.scores.categories.performance),
        perf_checks: perf,
        pod_ms: reports.map((r) => r.sandbox.timings_ms.grader_finished ?? null),
      }),
    );
    // Each grading is bounded by the challenge's wall_ms; Jest's default timeout covers one, not RUNS.
  }, RUNS * 600_000);

  it('every run ends with a verdict (no platform error)', () => {
    expect(reports.map((r) => r.status === 'error')).toEqual(reports.map(() => false));
  });

  it('every check outside performance gets the same verdict in every run', () => {
    const verdicts = (r: GradeReport): string[] =>
      r.tests.filter((t) => t.category !== 'performance').map((t) => `${t.id}=${t.status}`);
    const first = verdicts(reports[0]!);
    expect(first.length).toBeGreaterThan(20);
    for (const r of reports) expect(verdicts(r)).toEqual(first);
  });

  it('performance scores stay within one scoring band (one performance check)', () => {
    const perfTests = reports[0]!.tests.filter((t) => t.category === 'performance');
    const total = perfTests.reduce((s, t) => s + t.weight, 0);
    const band = (100 * Math.max(...perfTests.map((t) => t.weight))) / total;
    const scores = reports.map((r) => r.scores.categories.performance ?? 0);
    expect(Math.max(...scores) - Math.min(...scores)).toBeLessThanOrEqual(band + 1e-9);
  });
});
