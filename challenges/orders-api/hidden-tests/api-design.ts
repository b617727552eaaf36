import {
  cursorStyle,
  defineCheck,
  expect,
  methodNotAllowed,
  must,
  paginationIntegrity,
  problemJson,
  generateBadInputs,
  listed,
  type BadInputClass,
  type CheckContext,
  type HttpRequest,
  type HttpResponse,
  type WalkOptions,
} from '../../../grader';
import { fx, obj, orderCount, page, postOrder, someProducts } from './fixtures';

/**
 * Fails the check unless the error response `r` is RFC 9457 problem+json whose `status` matches the HTTP one.
 * Only the format is judged: any 4xx is accepted, because which code an error gets is the property of the
 * check for that error (a-validation, a-malformed-json, c-product-get…), never of this one.
 */
const expectProblem = (ctx: CheckContext, label: string, r: HttpResponse): void => {
  const errorStatus = r.status >= 400 && r.status <= 499 ? r.status : 400;
  must(ctx, problemJson(r, errorStatus, label), {
    key: label,
    message:
      r.status >= 400 && r.status <= 499
        ? undefined
        : `${label} answered ${r.status}; an error must be answered with a 4xx problem+json.`,
  });
};

/** Follows `next_cursor` (the challenge's cursor protocol) and fails unless every expected id comes once. */
async function expectEveryRowOnce(
  ctx: CheckContext,
  o: Omit<WalkOptions, 'style'> & { expected: number[]; what: string; noun: string },
): Promise<void> {
  const v = await paginationIntegrity(ctx.app, { ...o, style: cursorStyle() });
  const e = v.evidence as { missing_count: number; repeated: number; problem: string | null };
  must(ctx, v, {
    key: 'walk',
    message: e.problem
      ? (v.message ?? undefined)
      : `Following next_cursor over ${o.what} skipped ${e.missing_count} and repeated ${e.repeated} ${o.noun}.`,
  });
}

/** A generated bad request and the statuses the contract allows for it. */
interface Probe {
  label: string;
  request: HttpRequest;
  statuses: readonly number[];
}

/**
 * Sends generated bad requests and returns those answered with a status outside their allowed ones. A 5xx is
 * not judged here but by s-error-leakage (one defect costs points in one place); it goes to the evidence.
 */
async function refusals(ctx: CheckContext, probes: readonly Probe[]): Promise<string[]> {
  const wrong: string[] = [];
  const serverErrors: string[] = [];
  for (const p of probes) {
    const r = await ctx.app.request(p.request);
    if (r.status >= 500) serverErrors.push(`${p.label} → ${r.status}`);
    else if (!p.statuses.includes(r.status)) wrong.push(`${p.label} → ${r.status}`);
  }
  ctx.evidence.generated = { count: probes.length, left_to_s_error_leakage: serverErrors.slice(0, 10) };
  return wrong;
}

/**
 * Generated invalid values of query parameters whose every other value the contract refuses with 422; some
 * are also sent without a token, where 401 and 422 are both right (the request is unauthenticated and invalid).
 */
function invalidQueryProbes(
  ctx: CheckContext,
  path: string,
  params: string[],
  headers: Record<string, string>,
  classes: readonly BadInputClass[],
): Probe[] {
  const out: Probe[] = [];
  for (const name of params) {
    const gen = generateBadInputs(ctx.rng, { path, headers, query: { [name]: 'x' }, classes, perClass: 2 });
    for (const g of gen) out.push({ label: `${path}: ${g.label}`, request: g.request, statuses: [422] });
  }
  if (headers.authorization)
    for (const p of out.filter(() => ctx.rng.next() < 0.25)) {
      out.push({
        label: `${p.label}, without a token`,
        request: { ...p.request, headers: {} },
        statuses: [401, 422],
      });
    }
  return out;
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
    expectProblem(ctx, 'GET /products/{missing id}', await ctx.app.request({ path: '/products/987654321' }));
    expectProblem(
      ctx,
      'GET /orders/{missing id}',
      await ctx.app.request({ path: '/orders/987654321', headers: actor.auth }),
    );
    expectProblem(ctx, 'GET /orders without a token', await ctx.app.request({ path: '/orders' }));
    expectProblem(
      ctx,
      'POST /orders with an unknown product',
      await postOrder(ctx, actor, { items: [{ product_id: 987654321, quantity: 1 }] }),
    );
    expectProblem(ctx, 'GET /products?limit=0', await ctx.app.request({ path: '/products?limit=0' }));
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
    // The status is this check's property; the problem+json format is a-problem-json's.
    expect(r.status === 400, `POST /orders with malformed JSON answered ${r.status}, expected 400.`);
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
      if (r.status !== 422) wrong.push(`${label} → ${r.status}`);
    }
    // Generated values of each field (grader/http/bad-input.ts): strings of control bytes, long or non-ASCII
    // text and numbers past every integer range are never a valid items array, product_id or quantity (422).
    // A few go without a token too: unauthenticated and invalid, 401 or 422.
    const gen = generateBadInputs(ctx.rng, {
      method: 'POST',
      path: '/orders',
      headers: actor.auth,
      body: { items: [ok] },
      classes: ['control-bytes', 'long-string', 'non-ascii', 'huge-number'],
      perClass: 2,
    });
    const probes: Probe[] = gen.map((g) => ({ label: g.label, request: g.request, statuses: [422] }));
    for (const g of gen.filter(() => ctx.rng.next() < 0.2))
      probes.push({
        label: `${g.label}, without a token`,
        request: { ...g.request, headers: { 'content-type': 'application/json' } },
        statuses: [401, 422],
      });
    wrong.push(...(await refusals(ctx, probes)));
    expect(
      wrong.length === 0,
      `Invalid order bodies must be refused with 422 (without a token, 401 or 422): ${listed(wrong)}.`,
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
      if (r.status !== 422) wrong.push(`${label} → ${r.status}`);
    }
    // Generated values (grader/http/bad-input.ts): status is one of four words and a cursor is only what the
    // API returned, so control bytes, long, non-ASCII strings and numbers are 422 for any correct service.
    // Cursors that decode to wrong types or values are judged by s-error-leakage only (no 5xx): whether a
    // forged cursor of the right shape is refused depends on how a service encodes its cursors.
    const strs: BadInputClass[] = ['control-bytes', 'long-string', 'non-ascii'];
    wrong.push(
      ...(await refusals(ctx, [
        ...invalidQueryProbes(ctx, '/orders', ['status'], a.auth, [...strs, 'huge-number']),
        ...invalidQueryProbes(ctx, '/orders', ['cursor'], a.auth, strs),
        ...invalidQueryProbes(ctx, '/products', ['cursor'], {}, strs),
      ])),
    );
    expect(
      wrong.length === 0,
      `Invalid query parameters must be refused with 422, not ignored (without a token, 401 or 422): ${listed(wrong)}.`,
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
    // Generated limits (grader/http/bad-input.ts): none is an integer from 1 to 100.
    wrong.push(
      ...(await refusals(ctx, [
        ...invalidQueryProbes(ctx, '/products', ['limit'], {}, [
          'control-bytes',
          'long-string',
          'non-ascii',
          'huge-number',
        ]),
        ...invalidQueryProbes(ctx, '/orders', ['limit'], a.auth, [
          'control-bytes',
          'non-ascii',
          'huge-number',
        ]),
      ])),
    );
    expect(wrong.length === 0, `A limit outside 1–100 must be refused with 422: ${listed(wrong)}.`);
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
      await expectEveryRowOnce(ctx, {
        firstPath: `/products?q=${encodeURIComponent(word)}&limit=37`,
        maxPages: 500,
        expected: want,
        what: '/products?q=',
        noun: 'products',
        between: async (i) => {
          if (i % 3 === 0) {
            // A product inserted while the client pages (lowest free id would break id-based cursors that skip).
            const tag = ctx.rng.token(6);
            await ctx.db.query(
              `INSERT INTO products (id, sku, name, price_cents, stock) VALUES ((SELECT max(id) + 1 FROM products), $1, $2, 100, 10)`,
              [`SG-P${tag}`, `Grader ${word} ${tag}`],
            );
          }
        },
      });
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
      await expectEveryRowOnce(ctx, {
        firstPath: '/orders?limit=100',
        headers: a.auth,
        maxPages: 1000,
        expected: want,
        what: '/orders while new orders arrived',
        noun: 'orders',
        between: async (i) => {
          // New orders arrive while the client pages: they must not shift pages (no skipped or repeated rows).
          if (i < 5)
            for (let k = 0; k < 7; k++)
              await postOrder(ctx, a, { items: [{ product_id: p.id, quantity: 1 }] });
        },
      });
    },
    { timeoutMs: 180_000 },
  ),

  defineCheck('a-method-not-allowed', async (ctx) => {
    must(
      ctx,
      await methodNotAllowed(
        ctx.app,
        [
          { method: 'DELETE', path: '/orders/1', allow: ['GET'] },
          { method: 'PUT', path: '/products/1', allow: ['GET'] },
          { method: 'PATCH', path: '/customers/me/summary', allow: ['GET'] },
          { method: 'DELETE', path: '/orders', allow: ['GET'] },
        ],
        fx(ctx).light.auth,
      ),
    );
  }),
];
