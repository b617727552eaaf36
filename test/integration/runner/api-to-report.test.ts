/**
 * The main flow end to end: POST /v1/submissions (real API, MongoDB-compatible store, BullMQ on Redis) →
 * a real BullMQ Worker running the grade processor → a sealed pod → the report stored and served by
 * GET /v1/submissions/:id. Uses the starter of orders-api (it runs, and scores low).
 */
import request from 'supertest';
import { issueApiKey } from '../../../api/domain/issue-api-key';
import { readSolutionDir } from '../../../runner/grading/grade-submission';
import {
  type ApiGradingStack,
  pollSubmission,
  type SubmissionBody,
  startApiGradingStack,
} from '../../support/api-grading-stack';
import { filesAsText } from '../../support/submission-fixtures';

describe('API → queue → runner → report', () => {
  let stack: ApiGradingStack;

  beforeAll(async () => {
    stack = await startApiGradingStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('POST /v1/submissions with the orders-api starter, when the runner grades it, serves a completed report with a low score', async () => {
    const { app, env, apiKeys } = stack;
    const files = filesAsText(await readSolutionDir(env.challenge('orders-api').starterDir));
    const res = await request(app).post('/v1/submissions').send({ challenge_id: 'orders-api', files });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/v1/submissions/${res.body.id}`);

    const { body, seen } = await pollSubmission(app, res.headers.location!);
    expect(body.status).toBe('completed');
    expect(seen.has('running') || seen.has('completed')).toBe(true);
    expect(body.report?.status).toBe('fail');
    expect(body.report!.scores.overall).toBeLessThan(40);
    expect(body.report!.tests.find((t) => t.id === 'c-health')?.status).toBe('pass');
    expect(body.report!.tests.find((t) => t.id === 'c-order-create')?.status).toBe('fail');

    // The candidate view drops the evidence of `hint` checks; the challenge owner's API key sees it all.
    expect(body.view).toBe('candidate');
    expect(body.report!.tests.find((t) => t.id === 'c-order-create')?.evidence).toBeUndefined();
    const ownerKey = await issueApiKey(apiKeys, 'stackgrade-examples', 'e2e test');
    const owner = await request(app)
      .get(`${res.headers.location!}?view=owner`)
      .set('Authorization', `Bearer ${ownerKey.token}`);
    expect(owner.status).toBe(200);
    const full = owner.body as SubmissionBody;
    expect(full.view).toBe('owner');
    expect(full.report!.scores.overall).toBe(body.report!.scores.overall);
    const failed = full.report!.tests.find((t) => t.id === 'c-order-create');
    expect(failed?.status).toBe('fail');
    expect(failed?.evidence).toBeDefined();
    const otherKey = await issueApiKey(apiKeys, 'another-company', 'e2e test');
    const other = await request(app)
      .get(`${res.headers.location!}?view=owner`)
      .set('Authorization', `Bearer ${otherKey.token}`);
    // Another organisation's key: the submission does not exist for it.
    expect(other.status).toBe(404);
  });
});
