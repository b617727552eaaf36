import {
  countByClass,
  createdId,
  defineCheck,
  generateBadInputs,
  errorLeakage,
  NotAssessed,
  expect,
  LEAK_PATTERNS,
  must,
  sqlInjection,
  type HttpResponse,
} from '../../../grader';
import {
  created,
  createOrderForFixture,
  fx,
  makeProduct,
  page,
  postOrder,
  someProducts,
  stockOf,
} from './fixtures';

/**
 * The SDK's leak patterns (docs/grading.md S-24; OWASP API8:2023) plus this pod's source path and
 * node-postgres error prefixes.
 */
const LEAKS: RegExp[] = [...LEAK_PATTERNS, /\/app\/\S+\.(?:js|ts)/, /error: .*\bpg\b/];

export const securityChecks = [
  defineCheck('s-sql-injection', async (ctx) => {
    // OWASP API8:2023 (injection), confirmed on the database side through the statement log.
    const v = await sqlInjection(ctx.db, {
      canary: `zq${ctx.rng.token(10)}`,
      send: (q) => ctx.app.request({ path: `/products?q=${encodeURIComponent(q)}&limit=100` }),
      messages: {
        inStatement:
          'The product search puts the search text into the SQL statement itself: it must be sent as a bound parameter (SQL injection).',
        tautology: 'A search text containing a quote changed which rows the query returns (SQL injection).',
        serverError: 'A search text containing a quote made the service fail with a 5xx.',
      },
    });
    must(ctx, v, { key: 'sql_injection' });
  }),

  defineCheck('s-bola-read', async (ctx) => {
    // OWASP API1:2023 Broken Object Level Authorization.
    const { heavyA: a, heavyB: b } = fx(ctx);
    const ids = await ctx.db.query<{ id: string; total_cents: number }>(
      'SELECT id::text, total_cents FROM orders WHERE customer_id = $1 ORDER BY orders.id DESC LIMIT 3',
      [a.id],
    );
    for (const o of ids) {
      const r = await ctx.app.request({ path: `/orders/${o.id}`, headers: b.auth });
      expect(
        r.status === 404 || r.status === 403,
        `Another customer's order was readable by id (answered ${r.status}).`,
      );
      expect(
        !r.text.includes(`"total_cents":${o.total_cents}`),
        "The refusal leaks another customer's order.",
      );
    }
  }),

  defineCheck('s-bola-cancel', async (ctx) => {
    const { heavyA: a, heavyB: b } = fx(ctx);
    const pid = await makeProduct(ctx, 20);
    const { id } = await createOrderForFixture(ctx, a, { items: [{ product_id: pid, quantity: 2 }] });
    const r = await ctx.app.request({ method: 'POST', path: `/orders/${id}/cancel`, headers: b.auth });
    expect(
      r.status === 404 || r.status === 403,
      `Cancelling another customer's order answered ${r.status}, expected 404.`,
    );
    const st = await ctx.db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [id]);
    expect(
      st[0]?.status === 'pending',
      'Another customer could cancel the order: its stored status changed.',
    );
    expect((await stockOf(ctx, [pid])).get(pid) === 18, "Cancelling another customer's order changed stock.");
  }),

  defineCheck('s-list-isolation', async (ctx) => {
    const { heavyA: a, heavyB: b } = fx(ctx);
    for (const path of [
      '/orders?limit=100',
      `/orders?limit=100&customer_id=${a.id}`,
      `/orders?limit=100&customer=${a.id}`,
    ]) {
      const p = page(await ctx.app.request({ path, headers: b.auth }), `GET ${path}`);
      const ids = p.data.map((o) => Number(o.id));
      const foreign = await ctx.db.query<{ n: string }>(
        'SELECT count(*)::text AS n FROM orders WHERE id = ANY($1::bigint[]) AND customer_id <> $2',
        [ids, b.id],
      );
      expect(Number(foreign[0]!.n) === 0, `GET ${path} listed orders of another customer.`);
    }
  }),

  defineCheck('s-mass-assignment', async (ctx) => {
    // OWASP API3:2023 Broken Object Property Level Authorization (mass assignment).
    const { fresh: d, heavyA: a } = fx(ctx);
    const p = (await someProducts(ctx, 1))[0]!;
    const r = await postOrder(ctx, d, {
      items: [{ product_id: p.id, quantity: 2, unit_price_cents: 1 }],
      status: 'shipped',
      total_cents: 1,
      customer_id: a.id,
      created_at: '2000-01-01T00:00:00.000Z',
      id: 1,
    });
    // Refusing unknown fields (any 4xx) is safe too; any 2xx created an order whose stored fields are judged.
    if (r.status >= 400 && r.status <= 499) return;
    const id = createdId(r);
    if (!created(r) || id === null)
      throw new NotAssessed(
        `Not assessed: POST /orders with extra fields answered ${r.status} and reported no created order (judged by c-order-create).`,
        'c-order-create',
      );
    const rows = await ctx.db.query<{
      customer_id: string;
      status: string;
      total_cents: number;
      created_at: Date;
      unit: number;
    }>(
      `SELECT o.customer_id::text, o.status, o.total_cents, o.created_at, i.unit_price_cents AS unit
         FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = $1`,
      [id],
    );
    const o = rows[0];
    expect(o, 'The created order is not stored.');
    ctx.evidence.stored = o;
    expect(
      Number(o.customer_id) === d.id &&
        o.status === 'pending' &&
        o.total_cents === p.price_cents * 2 &&
        o.unit === p.price_cents &&
        o.created_at.getUTCFullYear() > 2000,
      'Client-supplied fields (status, total_cents, customer_id, unit_price_cents or created_at) were stored: the server must compute them.',
    );
  }),

  defineCheck('s-authentication', async (ctx) => {
    // OWASP API2:2023 Broken Authentication.
    const routes: [string, string, unknown?][] = [
      ['GET', '/orders'],
      ['GET', '/orders/1'],
      ['POST', '/orders', { items: [{ product_id: 1, quantity: 1 }] }],
      ['POST', '/orders/1/cancel'],
      ['GET', '/customers/me/summary'],
    ];
    const credentials: [string, Record<string, string>][] = [
      ['no Authorization header', {}],
      ['an unknown token', { authorization: `Bearer sg_${ctx.rng.token(32)}` }],
      ['an empty bearer token', { authorization: 'Bearer ' }],
      ['Basic credentials', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['an injection string as token', { authorization: "Bearer ' OR '1'='1" }],
    ];
    const wrong: string[] = [];
    for (const [method, path, body] of routes) {
      for (const [label, headers] of credentials) {
        const r = await ctx.app.request({ method, path, headers, body });
        if (r.status !== 401) wrong.push(`${method} ${path} with ${label} → ${r.status}`);
      }
    }
    expect(
      wrong.length === 0,
      `Protected routes must answer 401 without a valid bearer token: ${wrong.slice(0, 5).join('; ')}.`,
    );
  }),

  defineCheck('s-error-leakage', async (ctx) => {
    const d = fx(ctx).fresh;
    const probes: [string, () => Promise<HttpResponse>][] = [
      [
        'malformed JSON',
        () =>
          ctx.app.request({
            method: 'POST',
            path: '/orders',
            headers: { ...d.auth, 'content-type': 'application/json' },
            body: '{"items":[{',
          }),
      ],
      ['a non-numeric id', () => ctx.app.request({ path: '/orders/abc', headers: d.auth })],
      [
        'an id beyond bigint',
        () => ctx.app.request({ path: '/orders/99999999999999999999999', headers: d.auth }),
      ],
      ['a product id beyond bigint', () => ctx.app.request({ path: '/products/99999999999999999999999' })],
      ['a huge quantity', () => postOrder(ctx, d, { items: [{ product_id: 1, quantity: 1e300 }] })],
      [
        'a 10 kB product id',
        () => postOrder(ctx, d, { items: [{ product_id: '9'.repeat(10_000), quantity: 1 }] }),
      ],
      ['a negative product id', () => postOrder(ctx, d, { items: [{ product_id: -5, quantity: 1 }] })],
      ['an unknown route', () => ctx.app.request({ path: `/no-such-route-${ctx.rng.token(6)}` })],
      [
        'a bad cursor',
        () => ctx.app.request({ path: '/orders?cursor=%27%22%3B--not-a-cursor', headers: d.auth }),
      ],
      [
        'a bad status filter',
        () => ctx.app.request({ path: "/orders?status='%20OR%201=1", headers: d.auth }),
      ],
      ['a repeated search parameter', () => ctx.app.request({ path: '/products?q=copper&q=steel' })],
      [
        'a repeated status filter',
        () => ctx.app.request({ path: '/orders?status=paid&status=shipped', headers: d.auth }),
      ],
    ];
    // Generated per parameter and body field from the grader seed (grader/http/bad-input.ts): every class
    // for every target, so a service that 500s on one class is caught whatever the seed.
    const reader = fx(ctx).heavyA;
    // A cursor the service returned, to mutate; null (generic cursors) when it returns none: listing is judged
    // elsewhere, not here.
    const cursorOf = async (path: string, headers: Record<string, string> = {}): Promise<string | null> => {
      const c = ((await ctx.app.request({ path, headers })).json as { next_cursor?: unknown } | undefined)
        ?.next_cursor;
      return typeof c === 'string' ? c : null;
    };
    const product = await makeProduct(ctx, 1000);
    const orderId = (
      await ctx.db.query<{ id: string }>('SELECT id::text FROM orders WHERE customer_id = $1 LIMIT 1', [
        reader.id,
      ])
    )[0]?.id;
    const generated = [
      ...generateBadInputs(ctx.rng, {
        path: '/products',
        query: { q: 'lamp', limit: '5' },
        cursors: { cursor: await cursorOf('/products?limit=5') },
        perClass: 2,
      }),
      ...generateBadInputs(ctx.rng, {
        path: '/orders',
        headers: reader.auth,
        query: { status: 'paid', limit: '5' },
        cursors: { cursor: await cursorOf('/orders?status=paid&limit=5', reader.auth) },
        perClass: 2,
      }),
      ...generateBadInputs(ctx.rng, {
        path: '/orders/{id}',
        headers: reader.auth,
        pathParams: { id: orderId ?? '1' },
        perClass: 2,
      }),
      ...generateBadInputs(ctx.rng, {
        path: '/products/{id}',
        pathParams: { id: String(product) },
        perClass: 2,
      }),
      ...generateBadInputs(ctx.rng, {
        method: 'POST',
        path: '/orders',
        headers: d.auth,
        body: { items: [{ product_id: product, quantity: 1 }] },
        perClass: 2,
      }),
    ];
    ctx.evidence.generated = { count: generated.length, by_class: countByClass(generated) };
    for (const g of generated)
      probes.push([
        `${g.label} (${g.request.method} ${g.request.path.slice(0, 80)})`,
        () => ctx.app.request(g.request),
      ]);
    must(ctx, await errorLeakage(probes, LEAKS), { key: 'error_leakage' });
  }),
];
