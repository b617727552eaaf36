/**
 * The grader SDK's HTTP and HTTP-only security probes against two purpose-built node:http services on
 * 127.0.0.1: a well-behaved one and one with the classic defects; each probe must pass on the first and
 * fail on the second, with evidence.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import {
  conditionalGet,
  contentTypeIn,
  createdWithLocation,
  cursorStyle,
  errorLeakage,
  HttpClient,
  idempotentCreate,
  jwtTampering,
  loginRateLimit,
  methodNotAllowed,
  pageNumberStyle,
  paginationIntegrity,
  permissiveCors,
  problemJson,
  securityHeaders,
  signHs256,
  statusIn,
  validationErrors,
  type Verdict,
} from '../../../grader';
import { startApp, type Handler } from './support';

const SECRET = randomUUID();

interface Item {
  id: number;
  name: string;
  qty: number;
}

function problem(
  status: number,
  title: string,
  detail: string,
): { status: number; headers: Record<string, string>; body: unknown } {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: `https://errors.example/${status}`, title, status, detail },
  };
}

function verifyJwt(token: string, good: boolean): Record<string, unknown> | null {
  const [h, p, s] = token.split('.');
  if (h === undefined || p === undefined) return null;
  let header: { alg?: string };
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
    payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!good && header.alg?.toLowerCase() === 'none') return payload; // the classic defect
  if (header.alg !== 'HS256') return null;
  if (createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url') !== s) return null;
  const now = Date.now() / 1000;
  if (
    good &&
    (typeof payload.exp !== 'number' ||
      payload.exp < now ||
      (typeof payload.nbf === 'number' && payload.nbf > now))
  )
    return null;
  return payload;
}

/** The service under test: `good` follows the rules; otherwise it has one defect per probe. */
function makeService(good: boolean): { handler: Handler; items: Item[] } {
  const items: Item[] = [];
  let next = 1;
  const keys = new Map<string, { hash: string; status: number; body: unknown; location: string }>();
  let failures = 0;
  const base: Record<string, string> = good
    ? { 'x-content-type-options': 'nosniff' }
    : { 'x-powered-by': 'Express' };
  const handler: Handler = (req, url) => {
    const out = ((): { status?: number; headers?: Record<string, string>; body?: unknown } => {
      const origin = req.headers.origin;
      const cors: Record<string, string> =
        origin && !good
          ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' }
          : origin === 'https://app.example'
            ? { 'access-control-allow-origin': origin }
            : {};
      if (req.method === 'OPTIONS') return { status: 204, headers: cors };
      const m = /^\/items\/([^/]+)$/.exec(url.pathname);
      if (url.pathname === '/items' && req.method === 'POST') {
        let body: unknown;
        try {
          body = JSON.parse(req.body);
        } catch (e) {
          return good
            ? problem(400, 'Malformed JSON', 'the body is not JSON')
            : { status: 500, headers: { 'content-type': 'text/plain' }, body: String((e as Error).stack) };
        }
        const b = body as Partial<Item>;
        if (good && (typeof b?.name !== 'string' || b.name.length > 50))
          return problem(422, 'Invalid body', 'name must be a string of at most 50 characters');
        if (good && (!Number.isInteger(b?.qty) || (b.qty ?? 0) < 1))
          return problem(422, 'Invalid body', 'qty must be a positive integer');
        const key = req.headers['idempotency-key'];
        const hash = createHash('sha256').update(req.body).digest('hex');
        if (good && typeof key === 'string' && keys.has(key)) {
          const prev = keys.get(key)!;
          if (prev.hash !== hash)
            return problem(422, 'Idempotency key reused', 'the key was used with another body');
          return { status: prev.status, headers: { location: prev.location }, body: prev.body };
        }
        const item = { id: next++, name: String(b.name), qty: Number(b.qty) };
        items.push(item);
        if (typeof key === 'string')
          keys.set(key, { hash, status: 201, body: item, location: `/items/${item.id}` });
        return good
          ? { status: 201, headers: { location: `/items/${item.id}` }, body: item }
          : { status: 200, body: item };
      }
      if (url.pathname === '/items' && req.method === 'GET') {
        const limit = Number(url.searchParams.get('limit') ?? 10);
        if (good) {
          const after = Number(url.searchParams.get('cursor') ?? 0);
          const page = items.filter((i) => i.id > after).slice(0, limit);
          const more = items.some((i) => i.id > (page.at(-1)?.id ?? Infinity));
          return { body: { data: page, next_cursor: more ? String(page.at(-1)!.id) : null } };
        }
        // Newest first with an offset cursor: rows created while a client pages shift every later page.
        const offset = Number(url.searchParams.get('cursor') ?? 0);
        const sorted = [...items].sort((a, b) => b.id - a.id);
        const page = sorted.slice(offset, offset + limit);
        return {
          body: { data: page, next_cursor: offset + limit < sorted.length ? String(offset + limit) : null },
        };
      }
      if (url.pathname === '/pages') {
        const per = 10;
        const n = Number(url.searchParams.get('page') ?? 1);
        const sorted = good ? items : [...items].sort((a, b) => b.id - a.id);
        // The defective variant's pages overlap by one row.
        const start = good ? (n - 1) * per : Math.max(0, (n - 1) * (per - 1));
        return { body: { data: sorted.slice(start, start + per) } };
      }
      if (m) {
        const item = items.find((i) => String(i.id) === m[1]);
        if (req.method === 'PATCH' && item) {
          item.name = String((JSON.parse(req.body) as { name?: string }).name);
          return { body: item };
        }
        if (req.method !== 'GET')
          return good
            ? {
                status: 405,
                headers: { allow: 'GET, PATCH' },
                body: problem(405, 'Method not allowed', '').body,
              }
            : { status: 404, headers: { 'content-type': 'text/html' }, body: '<pre>Cannot DELETE</pre>' };
        if (!item)
          return good
            ? problem(404, 'Not found', `no item ${m[1]}`)
            : {
                status: 404,
                headers: { 'content-type': 'text/html' },
                body: `<pre>Cannot GET ${url.pathname}</pre>`,
              };
        if (!good) return { body: item };
        const etag = `"${createHash('sha1').update(JSON.stringify(item)).digest('hex')}"`;
        if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
        return { headers: { etag }, body: item };
      }
      if (url.pathname === '/secure') {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const claims = token ? verifyJwt(token, good) : null;
        return claims
          ? { headers: { ...cors, 'cache-control': 'no-store' }, body: { sub: claims.sub } }
          : problem(401, 'Unauthorized', 'a valid bearer token is required');
      }
      if (url.pathname === '/login' && req.method === 'POST') {
        if (good && failures >= 5)
          return {
            ...problem(429, 'Too many attempts', 'try later'),
            headers: { 'content-type': 'application/problem+json', 'retry-after': '60' },
          };
        failures++;
        return problem(401, 'Unauthorized', 'wrong email or password');
      }
      if (url.pathname === '/crash') throw new Error('boom');
      return good
        ? problem(404, 'Not found', 'no such route')
        : {
            status: 404,
            headers: { 'content-type': 'text/html' },
            body: `<pre>Cannot GET ${url.pathname}</pre>`,
          };
    })();
    return { ...out, headers: { ...base, ...out.headers } };
  };
  return { handler, items };
}

const services: Record<'good' | 'bad', { client: HttpClient; items: Item[]; close: () => Promise<void> }> =
  {} as never;

beforeAll(async () => {
  for (const kind of ['good', 'bad'] as const) {
    const s = makeService(kind === 'good');
    const app = await startApp(s.handler);
    services[kind] = { client: new HttpClient(app.url), items: s.items, close: app.close };
    for (let i = 0; i < 45; i++)
      await services[kind].client.request({
        method: 'POST',
        path: '/items',
        body: { name: `seed ${i}`, qty: 1 },
      });
  }
});
afterAll(async () => {
  for (const s of Object.values(services)) await s.close();
});

/** Runs `probe` on both services: it must pass on the good one and fail, with a message, on the bad one. */
async function goodPassesBadFails(
  probe: (kind: 'good' | 'bad') => Promise<Verdict>,
): Promise<{ good: Verdict; bad: Verdict }> {
  const good = await probe('good');
  const bad = await probe('bad');
  expect({ pass: good.pass, message: good.message }).toEqual({ pass: true, message: null });
  expect(bad.pass).toBe(false);
  expect(bad.message).toEqual(expect.any(String));
  return { good, bad };
}

describe('grader SDK: HTTP probes', () => {
  it('status sets, content type and RFC 9457 problem+json', async () => {
    await goodPassesBadFails(async (k) => {
      const r = await services[k].client.request({ path: '/items/999999' });
      return problemJson(r, 404, 'GET /items/999999');
    });
    await goodPassesBadFails(async (k) =>
      contentTypeIn(
        await services[k].client.request({ path: '/no-such' }),
        ['application/json', 'application/problem+json'],
        'GET /no-such',
      ),
    );
    await goodPassesBadFails(async (k) =>
      statusIn(
        await services[k].client.request({ method: 'POST', path: '/items', body: '{"name":' }),
        [400, 422],
        'malformed JSON',
      ),
    );
  });

  it('201 with a Location that resolves to the created resource', async () => {
    const { bad } = await goodPassesBadFails(async (k) => {
      const c = services[k].client;
      return createdWithLocation(
        c,
        await c.request({ method: 'POST', path: '/items', body: { name: 'loc', qty: 2 } }),
        { label: 'POST /items' },
      );
    });
    expect(bad.evidence.status).toBe(200);
  });

  it('405 with Allow on unsupported methods', async () => {
    await goodPassesBadFails((k) =>
      methodNotAllowed(services[k].client, [
        { method: 'DELETE', path: '/items/1', allow: ['GET'] },
        { method: 'PUT', path: '/items/1', allow: ['GET', 'PATCH'] },
      ]),
    );
  });

  it('validation errors refuse invalid bodies and store nothing', async () => {
    const { bad } = await goodPassesBadFails((k) =>
      validationErrors(
        services[k].client,
        [
          { label: 'no name', request: { method: 'POST', path: '/items', body: { qty: 1 } }, field: 'name' },
          {
            label: 'qty 0',
            request: { method: 'POST', path: '/items', body: { name: 'x', qty: 0 } },
            field: 'qty',
          },
          {
            label: 'long name',
            request: { method: 'POST', path: '/items', body: { name: 'x'.repeat(51), qty: 1 } },
          },
        ],
        { problemJson: true, count: async () => services[k].items.length },
      ),
    );
    expect(bad.evidence.cases).toEqual(
      expect.arrayContaining([expect.objectContaining({ label: 'no name', status: 200 })]),
    );
  });

  it('cursor pagination: every item exactly once while rows arrive', async () => {
    const { bad } = await goodPassesBadFails(async (k) => {
      const s = services[k];
      return paginationIntegrity(s.client, {
        firstPath: '/items?limit=7',
        style: cursorStyle(),
        expected: s.items.map((i) => i.id),
        between: async (i) => {
          if (i < 3)
            await s.client.request({
              method: 'POST',
              path: '/items',
              body: { name: `during walk ${i}`, qty: 1 },
            });
        },
      });
    });
    expect(bad.evidence.repeated).toBeGreaterThan(0);
  });

  it('page-number pagination: no overlap, no gap', async () => {
    const { bad } = await goodPassesBadFails((k) =>
      paginationIntegrity(services[k].client, {
        firstPath: '/pages?page=1',
        style: pageNumberStyle({ pageSize: 10 }),
        expected: services[k].items.map((i) => i.id),
      }),
    );
    expect(bad.evidence.repeated).toBeGreaterThan(0);
  });

  it('conditional GET: If-None-Match answers 304 and a change yields a new ETag', async () => {
    await goodPassesBadFails((k) =>
      conditionalGet(services[k].client, {
        path: '/items/1',
        mutate: async () => {
          await services[k].client.request({
            method: 'PATCH',
            path: '/items/1',
            body: { name: `renamed ${randomUUID()}` },
          });
        },
      }),
    );
  });

  it('idempotency keys: a replay returns the first resource and stores one row', async () => {
    const { bad } = await goodPassesBadFails((k) =>
      idempotentCreate(services[k].client, {
        path: '/items',
        key: randomUUID(),
        body: { name: 'idem', qty: 1 },
        otherBody: { name: 'idem', qty: 2 },
        count: async () => services[k].items.length,
      }),
    );
    expect(bad.evidence.rows_created).toBe(2);
  });
});

describe('grader SDK: HTTP security probes (OWASP API Security Top 10 2023)', () => {
  it('JWT tampering: alg none, bad signature, expired and nbf tokens are refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const valid = signHs256({ sub: 'user-1', iat: now, exp: now + 600 }, SECRET);
    const { bad } = await goodPassesBadFails((k) =>
      jwtTampering(services[k].client, { path: '/secure', validToken: valid, secret: SECRET }),
    );
    expect(bad.owasp).toBe('API2:2023');
    expect(bad.evidence.forgeries).toEqual(expect.arrayContaining([{ label: 'alg none', status: 200 }]));
  });

  it('login rate limiting answers 429 within the attempt budget', async () => {
    const { good } = await goodPassesBadFails((k) =>
      loginRateLimit(services[k].client, {
        attempt: (i) => ({
          method: 'POST',
          path: '/login',
          body: { email: 'a@example.test', password: `wrong-${i}` },
        }),
        maxAttempts: 12,
        limitWithin: 10,
      }),
    );
    expect(good.evidence.limit_headers).toEqual({ 'retry-after': '60' });
  });

  it('error leakage: no 5xx, stack traces or driver messages', async () => {
    await goodPassesBadFails((k) =>
      errorLeakage([
        [
          'malformed JSON',
          () => services[k].client.request({ method: 'POST', path: '/items', body: '{"a":' }),
        ],
        ['unknown route', () => services[k].client.request({ path: '/nope' })],
      ]),
    );
  });

  it('security headers: nosniff, no X-Powered-By, no-store on authenticated answers', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = signHs256({ sub: 'u', iat: now, exp: now + 600 }, SECRET);
    await goodPassesBadFails(async (k) =>
      securityHeaders([
        ['GET /items/1', await services[k].client.request({ path: '/items/1' })],
        [
          'GET /secure',
          await services[k].client.request({
            path: '/secure',
            headers: { authorization: `Bearer ${token}` },
          }),
        ],
      ]),
    );
  });

  it('CORS: a hostile origin is never allowed with credentials', async () => {
    const { bad } = await goodPassesBadFails((k) => permissiveCors(services[k].client, { path: '/secure' }));
    expect(bad.owasp).toBe('API8:2023');
  });

  it('the client records every exchange with headers, credentials shortened', async () => {
    const c = services.good.client;
    const mark = c.mark();
    await c.request({ path: '/items/2', headers: { authorization: `Bearer ${'x'.repeat(40)}` } });
    const [ex] = c.since(mark);
    expect(ex!.request.headers.authorization).toBe(`Bearer ${'x'.repeat(13)}…`);
    expect(ex!.response).toEqual(
      expect.objectContaining({
        status: 200,
        headers: expect.objectContaining({ etag: expect.any(String) }),
      }),
    );
  });
});
