/**
 * The per-client rate limit behind a reverse proxy: with `trust proxy` set to the proxy's address, each
 * client address in `X-Forwarded-For` has its own budget; without it, the header is ignored and a client
 * cannot escape its budget by sending a new `X-Forwarded-For` each time.
 */
import request from 'supertest';
import { clientRateLimit } from '../../../api/operations/client-rate-limit';
import { startHarness, type Harness } from './support';

const get = (h: Harness, forwardedFor: string) =>
  request(h.app).get('/v1/challenges').set('X-Forwarded-For', forwardedFor);

describe('per-client rate limit and TRUST_PROXY', () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  it('behind a trusted proxy on loopback, each forwarded client address has its own budget', async () => {
    const h = await startHarness({
      rateLimiter: clientRateLimit({ limit: 2, windowS: 60 }),
      trustProxy: ['loopback'],
    });
    harnesses.push(h);
    await get(h, '203.0.113.1').expect(200);
    await get(h, '203.0.113.1').expect(200);
    await get(h, '203.0.113.1').expect(429);
    await get(h, '203.0.113.2').expect(200);
  });

  it('without trust proxy, X-Forwarded-For is ignored: a new header value each time still hits the limit', async () => {
    const h = await startHarness({ rateLimiter: clientRateLimit({ limit: 2, windowS: 60 }) });
    harnesses.push(h);
    await get(h, '203.0.113.1').expect(200);
    await get(h, '203.0.113.2').expect(200);
    const limited = await get(h, '203.0.113.3').expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
