import { defineCheck, expect, mediaType, type HttpResponse } from '../../../grader';
import { fx, obj, orderCount, page, postOrder, someProducts, walk } from './fixtures';

/** Why a response is not RFC 9457 problem+json with `status` equal to the HTTP status, or null. */
function problemDefect(r: HttpResponse): string | null {
  if (mediaType(r.headers['content-type']) !== 'application/problem+json')
    return `Content-Type is ${r.headers['content-type'] ?? 'missing'}`;
  const b = r.json as Record<string, unknown> | undefined;
  if (!b || typeof b !== 'object') return 'the body is not a JSON object';
  if (typeof b.type !== 'string' || typeof b.title !== 'string')
    return 'the body lacks "type" or "title" strings';
  if (b.status !== r.status)
    return `"status" is ${JSON.stringify(b.status)} but the HTTP status is ${r.status}`;
  return null;
}

function expectProblem(label: string, r: HttpResponse, status: number): void {
  expect(r.status === status, `${label} answered ${r.status}, expected ${status}.`);
  const d = problemDefect(r);
  expect(d === null, `${label}: the error is not RFC 9457 problem+json (${d}).`);
}

export const apiDesignChecks = [
  defineCheck('a-create-location', async (ctx) => {
    const actor = fx(ctx).fresh;
    const p = (await someProducts(ctx, 1))[0]!;
    const r = await postOrder(ctx, actor, { items: [{ product_id: p.id, quantity: 1 }] });
    expect(r.status === 201, `POST /orders answered ${r.status}, expected 201 Created.`);
    const id = obj(r, 'POST /orders').id;
    const loc = r.headers.location;
    expect(
      loc === `/orders/${id}` || loc?.endsWith(`/orders/${id}`),
      `201 Created must carry Location: /orders/{id}; got ${loc ?? 'none'}.`,
    );
    const g = await ctx.app.request({ path: new URL(loc!, 'http://x').pathname, headers: actor.auth });
    expect(
      g.status === 200 && obj(g, 'GET Location').id === id,
      'GET on the Location of a new order does not return it.',
    );
  }),

  defineCheck('a-problem-json', async (ctx) => {
    const actor = fx(ctx).fresh;
    expectProblem('GET /products/{missing id}', await ctx.app.request({ path: '/products/987654321' }), 404);
    expectProblem(
      'GET /orders/{missing id}',
      await ctx.app.request({ path: '/orders/987654321', headers: actor.auth }),
      404,
    );
    expectProblem('GET /orders without a token', await ctx.app.request({ path: '/orders' }), 401);
    expectProblem(
      'POST /orders with an unknown product',
      await postOrder(ctx, actor, { items: [{ product_id: 987654321, quantity: 1 }] }),
      422,
    );
    expectProblem('GET /products?limit=0', await ctx.app.request({ path: '/products?limit=0' }), 422);
  }),

  defineCheck('a-malformed-json', async (ctx) => {
    const actor = fx(ctx).fresh;
    const n0 = await orderCount(ctx, actor.id);
    const r = await ctx.app.request({
      method: 'POST',
      path: '/orders',
      headers: { ...actor.auth, 'content-type': 'application/json' },
      body: '{"items": [',
    });
    expectProblem('POST /orders with malformed JSON', r, 400);
    expect((await orderCount(ctx, actor.id)) === n0, 'Malformed JSON created an order.');
  }),

  defineCheck('a-validation', async (ctx) => {
    const actor = fx(ctx).fresh;
    const [p, q] = await someProducts(ctx, 2);
    const ok = { product_id: p!.id, quantity: 1 };
    const bodies: [string, unknown][] = [
      ['no items', {}],
      ['empty items', { items: [] }],
      ['items not an array', { items: ok }],
      ['51 items', { items: Array.from({ length: 51 }, (_, i) => ({ product_id: i + 1, quantity: 1 })) }],
      ['quantity 0', { items: [{ ...ok, quantity: 0 }] }],
      ['quantity 1001', { items: [{ ...ok, quantity: 1001 }] }],
      ['quantity as a string', { items: [{ ...ok, quantity: '2' }] }],
      ['fractional quantity', { items: [{ ...ok, quantity: 1.5 }] }],
      ['product_id as a string', { items: [{ product_id: String(p!.id), quantity: 1 }] }],
      ['duplicate products', { items: [ok, { ...ok, quantity: 2 }] }],
      ['a JSON array body', [ok]],
      ['missing quantity', { items: [{ product_id: q!.id }] }],
    ];
    const n0 = await orderCount(ctx, actor.id);
    const wrong: string[] = [];
    for (const [label, body] of bodies) {
      const r = await postOrder(ctx, actor, body);
      if (r.status !== 422 || problemDefect(r) !== null) wrong.push(`${label} → ${r.status}`);
    }
    expect(
      wrong.length === 0,
      `Invalid order bodies must be refused with 422 problem+json: ${wrong.join('; ')}.`,
    );
    expect((await orderCount(ctx, actor.id)) === n0, 'An invalid order body created an order.');
  }),

  defineCheck('a-query-validation', async (ctx) => {
    const a = fx(ctx).light;
    const probes: [string, string, Record<string, string>][] = [
      ['an unknown status filter', '/orders?status=refunded', a.auth],
      ['a status filter in the wrong case', '/orders?status=PAID', a.auth],
      ['an order cursor the API never returned', '/orders?cursor=bm90LWEtY3Vyc29y', a.auth],
      ['a product cursor the API never returned', '/products?cursor=not-a-cursor', {}],
    ];
    const wrong: string[] = [];
    for (const [label, path, headers] of probes) {
      const r = await ctx.app.request({ path, headers });
      if (r.status !== 422 || problemDefect(r) !== null) wrong.push(`${label} → ${r.status}`);
    }
    expect(
      wrong.length === 0,
      `Invalid query parameters must be refused with 422 problem+json, not ignored: ${wrong.join('; ')}.`,
    );
  }),

  defineCheck('a-limit-range', async (ctx) => {
    const wrong: string[] = [];
    for (const l of ['0', '101', 'abc', '-1', '1.5']) {
      const r = await ctx.app.request({ path: `/products?limit=${l}` });
      if (r.status !== 422) wrong.push(`limit=${l} → ${r.status}`);
    }
    const a = fx(ctx).light;
    const r = await ctx.app.request({ path: '/orders?limit=1000', headers: a.auth });
    if (r.status !== 422) wrong.push(`GET /orders?limit=1000 → ${r.status}`);
    expect(wrong.length === 0, `A limit outside 1–100 must be refused with 422: ${wrong.join('; ')}.`);
    expect(
      page(await ctx.app.request({ path: '/products' }), 'GET /products').data.length === 20,
      'The default page size must be 20.',
    );
    expect(
      page(await ctx.app.request({ path: '/products?limit=100' }), 'GET /products?limit=100').data.length ===
        100,
      'limit=100 must return 100 products.',
    );
  }),

  defineCheck(
    'a-pagination-products',
    async (ctx) => {
      const word = fx(ctx).searchWord;
      const want = (
        await ctx.db.query<{ id: string }>(
          `SELECT id::text FROM products WHERE name ILIKE '%' || $1 || '%' ORDER BY products.id`,
          [word],
        )
      ).map((r) => Number(r.id));
      const rows = await walk(ctx, `/products?q=${encodeURIComponent(word)}&limit=37`, {}, 500, async (i) => {
        if (i % 3 === 0) {
          // A product inserted while the client pages (lowest free id would break id-based cursors that skip).
          const tag = ctx.rng.token(6);
          await ctx.db.query(
            `INSERT INTO products (id, sku, name, price_cents, stock) VALUES ((SELECT max(id) + 1 FROM products), $1, $2, 100, 10)`,
            [`SG-P${tag}`, `Grader ${word} ${tag}`],
          );
        }
      });
      const ids = rows.map((r) => Number(r.id));
      const seen = new Set(ids);
      const missing = want.filter((id) => !seen.has(id));
      const dupes = ids.length - seen.size;
      ctx.evidence.walk = {
        pages_rows: ids.length,
        expected: want.length,
        missing: missing.slice(0, 10),
        duplicates: dupes,
      };
      expect(
        missing.length === 0 && dupes === 0,
        `Following next_cursor over /products?q= skipped ${missing.length} and repeated ${dupes} products.`,
      );
    },
    { timeoutMs: 120_000 },
  ),

  defineCheck(
    'a-pagination-orders',
    async (ctx) => {
      const a = fx(ctx).heavyA;
      const want = (
        await ctx.db.query<{ id: string }>('SELECT id::text FROM orders WHERE customer_id = $1', [a.id])
      ).map((r) => Number(r.id));
      const p = (await someProducts(ctx, 1))[0]!;
      const rows = await walk(ctx, '/orders?limit=100', a.auth, 1000, async (i) => {
        // New orders arrive while the client pages: they must not shift pages (no skipped or repeated rows).
        if (i < 5)
          for (let k = 0; k < 7; k++) await postOrder(ctx, a, { items: [{ product_id: p.id, quantity: 1 }] });
      });
      const ids = rows.map((r) => Number(r.id));
      const seen = new Set(ids);
      const missing = want.filter((id) => !seen.has(id));
      const dupes = ids.length - seen.size;
      ctx.evidence.walk = {
        rows: ids.length,
        expected_at_least: want.length,
        missing: missing.slice(0, 10),
        duplicates: dupes,
      };
      expect(
        missing.length === 0 && dupes === 0,
        `Following next_cursor over /orders while new orders arrived skipped ${missing.length} and repeated ${dupes} orders.`,
      );
    },
    { timeoutMs: 180_000 },
  ),

  defineCheck('a-method-not-allowed', async (ctx) => {
    const a = fx(ctx).light;
    const probes: [string, string, string][] = [
      ['DELETE', '/orders/1', 'GET'],
      ['PUT', '/products/1', 'GET'],
      ['PATCH', '/customers/me/summary', 'GET'],
      ['DELETE', '/orders', 'GET'],
    ];
    const wrong: string[] = [];
    for (const [method, path, allowed] of probes) {
      const r = await ctx.app.request({ method, path, headers: a.auth });
      const allow = (r.headers.allow ?? '').toUpperCase();
      if (r.status !== 405 || !allow.split(/\s*,\s*/).includes(allowed))
        wrong.push(`${method} ${path} → ${r.status}${r.headers.allow ? ` (Allow: ${r.headers.allow})` : ''}`);
    }
    expect(
      wrong.length === 0,
      `A known path with an unsupported method must answer 405 with an Allow header: ${wrong.join('; ')}.`,
    );
  }),
];
