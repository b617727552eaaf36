import Redis from 'ioredis';
import request from 'supertest';
import { issueApiKey } from '../../../api/domain/issue-api-key';
import { clientRateLimit } from '../../../api/operations/client-rate-limit';
import { FIXTURE_OWNER } from '../../unit/api/fixtures/challenge-fixture';
import { CHALLENGE_ID, metricSample, REDIS_URL, startHarness, VALID_FILES, type Harness } from './support';

const ADMIN_KEY = 'operator-key-of-this-test-0123456789abcdef';

const sample = metricSample;

describe('operations: metrics, Bull Board, per-client rate limit', () => {
  let h: Harness;
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    h = await startHarness({
      operations: { adminKey: ADMIN_KEY },
      rateLimiter: clientRateLimit({ limit: 3, windowS: 60 }, redis),
    });
  });
  afterAll(async () => {
    await h.close();
    redis.disconnect();
  });

  it('/metrics shows a queued grading job in the queue gauges', async () => {
    const before = (await request(h.app).get('/metrics').expect(200)).text;
    expect(before).toContain('# TYPE stackgrade_queue_jobs gauge');
    const waiting = 'stackgrade_queue_jobs{queue="grading",state="waiting"}';
    const oldest = 'stackgrade_queue_oldest_waiting_job_age_seconds{queue="grading"}';
    expect(sample(before, waiting)).toBe(0);
    expect(sample(before, oldest)).toBe(0);

    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'metrics');
    await request(h.app)
      .post('/v1/submissions')
      .set('Authorization', `Bearer ${key.token}`)
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES })
      .expect(202);

    const after = (await request(h.app).get('/metrics').expect(200)).text;
    expect(sample(after, waiting)).toBe(1);
    expect(sample(after, oldest)).toBeGreaterThanOrEqual(0);
    // Exposed from the start (0) so rate() works from the first delivery; counted by the delivery worker.
    expect(sample(after, 'stackgrade_webhook_deliveries_total{outcome="delivered"}')).toBe(0);
  });

  it('answers 429 problem+json with Retry-After once a client used its budget', async () => {
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'rate limited');
    const other = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'another client');
    const get = (token: string) =>
      request(h.app).get('/v1/challenges').set('Authorization', `Bearer ${token}`);
    for (let i = 0; i < 3; i++) await get(key.token).expect(200);
    const limited = await get(key.token).expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-policy']).toMatch(/q=3/);
    // Another key is another client; health and metrics are outside /v1 and never limited.
    await get(other.token).expect(200);
    await request(h.app).get('/healthz').expect(200);
  });

  it('Bull Board needs the operator key: not anonymous, not an organisation key', async () => {
    const anonymous = await request(h.app).get('/admin/queues').expect(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm="stackgrade-admin"/);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    const orgKey = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'not an operator');
    await request(h.app).get('/admin/queues').set('Authorization', `Bearer ${orgKey.token}`).expect(401);
    await request(h.app).get('/admin/queues/api/queues').set('Authorization', 'Bearer wrong').expect(401);

    const page = await request(h.app)
      .get('/admin/queues')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .expect(200);
    expect(page.text).toContain('Stackgrade queues');
    const api = await request(h.app).get('/admin/queues/api/queues').auth('operator', ADMIN_KEY).expect(200);
    const names = (api.body as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining([h.queue.queue.name, h.org.dispatcher.queue.name]));
  });
});
