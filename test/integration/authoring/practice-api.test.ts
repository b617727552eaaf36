/**
 * A practice run through the API: POST /v1/submissions with `mode: practice` (real API, MongoDB-compatible
 * store, BullMQ on Redis) → a real BullMQ Worker → a sealed pod running only the practice checks → the
 * report served to the candidate with only those checks, in full, unscored. A second practice submission
 * past the budget is refused with 429 and Retry-After, before anything is stored.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createPracticeRateLimiter } from '../../../api/domain/practice-rate-limit';
import { readSolutionDir } from '../../../runner/grading/grade-submission';
import { RunnerMetrics, serveRunnerMetrics } from '../../../runner/lib/runner-metrics';
import { type ApiGradingStack, pollSubmission, startApiGradingStack } from '../../support/api-grading-stack';
import { filesAsText } from '../../support/submission-fixtures';

describe('practice through the API', () => {
  let stack: ApiGradingStack;
  const metrics = new RunnerMetrics(() => 0);
  let metricsServer: Server;
  const scrape = async (): Promise<string> =>
    (await fetch(`http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`)).text();

  beforeAll(async () => {
    metricsServer = await serveRunnerMetrics(metrics, '127.0.0.1', 0);
    stack = await startApiGradingStack({
      metrics,
      app: { practiceLimiter: createPracticeRateLimiter({ points: 1, windowS: 600 }) },
    });
  });

  afterAll(async () => {
    metricsServer?.close();
    await stack?.close();
  });

  it('POST /v1/submissions mode practice runs and reports only the practice checks; the next is 429', async () => {
    const { app, env } = stack;
    const practiceIds = env
      .challenge('orders-api')
      .manifest.checks.filter((c) => c.practice)
      .map((c) => c.id);
    const files = filesAsText(await readSolutionDir(env.challenge('orders-api').starterDir));
    const graded =
      /^stackgrade_gradings_total\{challenge="orders-api",runtime="node22",status="(pass|fail)"\} 1$/m;
    expect(await scrape()).not.toMatch(graded);
    const res = await request(app)
      .post('/v1/submissions')
      .send({ challenge_id: 'orders-api', files, mode: 'practice' });
    expect(res.status).toBe(202);
    expect(res.body.mode).toBe('practice');

    const again = await request(app)
      .post('/v1/submissions')
      .send({ challenge_id: 'orders-api', files, mode: 'practice' });
    expect(again.status).toBe(429);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body.type).toBe('https://stackgrade.dev/problems/rate-limited');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);

    const { body } = await pollSubmission(app, res.headers.location!);
    expect(body.status).toBe('completed');
    expect(body.report!.mode).toBe('practice');
    expect(body.report!.tests.map((t) => t.id)).toEqual(practiceIds);
    // Shown in full to the candidate: every practice check keeps its evidence.
    expect(body.report!.tests.every((t) => t.visibility === 'full' && t.evidence !== undefined)).toBe(true);
    expect(body.report!.scores).toEqual({ overall: 0, categories: {} });
    expect(body.report!.tests.find((t) => t.id === 'c-health')?.status).toBe('pass');
    // The runner's /metrics, scraped after the grading: the counter and the duration histogram moved.
    const after = await scrape();
    expect(after).toMatch(graded);
    expect(after).toContain(
      'stackgrade_grading_duration_seconds_count{challenge="orders-api",runtime="node22"} 1',
    );
  });
});
