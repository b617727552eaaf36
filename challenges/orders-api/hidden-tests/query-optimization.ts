import {
  defineCheck,
  deltaSummary,
  expect,
  measureRequest,
  must,
  NotAssessed,
  nPlusOne,
  type CheckContext,
  type DbDelta,
} from '../../../grader';
import { created, fx, makeProduct, page, postOrder, type Actor } from './fixtures';

/** Relations above this many estimated rows must not be read by a sequential scan on a request path. */
const LARGE_RELATION_ROWS = 100_000;
/**
 * Shared blocks one indexed page may read. A sequential scan of `orders` reads ~7,000–9,000 blocks; an
 * indexed page of 20 orders with item counts reads ~100 (docs/grading.md, "Counting, not timing": make good
 * and bad differ by orders of magnitude, then any threshold between is noise-proof).
 */
const MAX_PAGE_BLOCKS = 2000;

const summary = deltaSummary;

/** One warm-up call, then the measured one; fails unless it answered < 300. */
async function measured(
  ctx: CheckContext,
  path: string,
  actor: Actor,
  method = 'GET',
  body?: unknown,
): Promise<DbDelta> {
  const { response, delta } = await measureRequest(ctx.db, () =>
    ctx.app.request({ method, path, headers: actor.auth, body }),
  );
  expect(response.status < 300, `${method} ${path} answered ${response.status}.`);
  return delta;
}

async function expectIndexedRead(ctx: CheckContext, label: string, d: DbDelta): Promise<void> {
  const { findings } = await ctx.db.planFindings(d, LARGE_RELATION_ROWS);
  const seq = findings.filter((f) => f.kind === 'seq_scan_large');
  ctx.evidence[label] = { ...summary(d), findings };
  expect(
    seq.length === 0,
    `${label} reads a large table with a sequential scan (${seq.map((f) => f.relation).join(', ')}): an index on the filtered columns is missing.`,
  );
  expect(
    d.blocks <= MAX_PAGE_BLOCKS,
    `${label} read ${d.blocks} database blocks for one page; a correct solution may read up to ${MAX_PAGE_BLOCKS} (an indexed page, its item counts by a correlated subquery, a LATERAL join, a CTE or a second statement, reads about 100).`,
  );
}

export const queryChecks = [
  defineCheck('q-order-detail-n-plus-one', async (ctx) => {
    const a = fx(ctx).heavyA;
    const rows = await ctx.db.query<{ order_id: string; n: string }>(
      `SELECT i.order_id::text, count(*)::text AS n FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE o.customer_id = $1 GROUP BY i.order_id HAVING count(*) IN (1, 5) ORDER BY i.order_id`,
      [a.id],
    );
    const one = rows.find((r) => r.n === '1');
    const five = rows.find((r) => r.n === '5');
    expect(one && five, 'fixture: no orders with 1 and 5 items');
    const d1 = await measured(ctx, `/orders/${one.order_id}`, a);
    const d5 = await measured(ctx, `/orders/${five.order_id}`, a);
    ctx.evidence.one_item = summary(d1);
    ctx.evidence.five_items = summary(d5);
    const repeated = d5.detail.filter((s) => s.calls >= 5);
    expect(
      d5.statements - d1.statements <= 1 && repeated.length === 0,
      `Reading an order ran ${d1.statements} SQL statements with 1 item and ${d5.statements} with 5 items: items or products are loaded one query per item (N+1). A correct solution may use any fixed number of statements (one join, CTEs, JSON built with json_agg, or the order then its items), at most one more for 5 items than for 1, none run 5 times.`,
    );
  }),

  defineCheck('q-order-list-n-plus-one', async (ctx) => {
    const a = fx(ctx).heavyA;
    const list = (limit: number) => () =>
      ctx.app.request({ path: `/orders?limit=${limit}`, headers: a.auth });
    const v = await nPlusOne(ctx.db, {
      label: 'Listing orders',
      small: { size: 10, send: list(10) },
      large: { size: 50, send: list(50) },
      message: (d10, d50) =>
        `Listing orders ran ${d10} SQL statements for 10 orders and ${d50} for 50: something is queried once per order (N+1). A correct solution may run any fixed number (the page with its item counts, or the page then all its counts in one statement).`,
    });
    must(ctx, v, { key: 'page_sizes' });
  }),

  defineCheck('q-order-list-index', async (ctx) => {
    await expectIndexedRead(
      ctx,
      'GET /orders (a customer with thousands of orders)',
      await measured(ctx, '/orders?limit=20', fx(ctx).heavyA),
    );
    await expectIndexedRead(
      ctx,
      'GET /orders?status=shipped',
      await measured(ctx, '/orders?status=shipped&limit=20', fx(ctx).light),
    );
  }),

  defineCheck('q-summary-index', async (ctx) => {
    await expectIndexedRead(
      ctx,
      'GET /customers/me/summary',
      await measured(ctx, '/customers/me/summary', fx(ctx).light),
    );
    const heavy = await measured(ctx, '/customers/me/summary', fx(ctx).heavyA);
    const { findings } = await ctx.db.planFindings(heavy, LARGE_RELATION_ROWS);
    ctx.evidence.heavy = { ...summary(heavy), findings };
    expect(
      !findings.some((f) => f.kind === 'seq_scan_large'),
      'The summary of a customer with many orders scans the whole orders table.',
    );
  }),

  defineCheck(
    'q-keyset-deep-page',
    async (ctx) => {
      const a = fx(ctx).heavyA;
      const first = await measured(ctx, '/orders?limit=100', a);
      let path = '/orders?limit=100';
      for (let i = 0; i < 30; i++) {
        const p = page(await ctx.app.request({ path, headers: a.auth }), 'GET /orders');
        expect(p.next_cursor, 'fixture: the customer has fewer than 3,000 orders');
        path = `/orders?limit=100&cursor=${encodeURIComponent(p.next_cursor)}`;
      }
      const deep = await measured(ctx, path, a);
      ctx.evidence.first_page = summary(first);
      ctx.evidence.page_31 = summary(deep);
      expect(
        deep.blocks <= 3 * first.blocks + 100,
        `Page 31 read ${deep.blocks} database blocks, page 1 read ${first.blocks}: deep pages get slower (OFFSET pagination); use a keyset cursor. A correct solution may read up to 3 × page 1 + 100 blocks.`,
      );
      expect(
        deep.blocks <= MAX_PAGE_BLOCKS,
        `Page 31 read ${deep.blocks} database blocks; an indexed keyset page needs a few hundred at most.`,
      );
    },
    { timeoutMs: 120_000 },
  ),

  defineCheck('q-order-create-statements', async (ctx) => {
    const actor = fx(ctx).fresh;
    const one = [await makeProduct(ctx, 1000)];
    const ten: number[] = [];
    for (let i = 0; i < 10; i++) ten.push(await makeProduct(ctx, 1000));
    // Warm-up order, then one measured order of 1 item and one of 10.
    await postOrder(ctx, actor, { items: [{ product_id: one[0]!, quantity: 1 }] });
    const d1 = (
      await ctx.db.measure(() => postOrder(ctx, actor, { items: [{ product_id: one[0]!, quantity: 1 }] }))
    ).delta;
    const r10 = await ctx.db.measure(() =>
      postOrder(ctx, actor, { items: ten.map((id) => ({ product_id: id, quantity: 1 })) }),
    );
    if (!created(r10.result))
      throw new NotAssessed(
        `Not assessed: POST /orders of 10 items answered ${r10.result.status}, so its statements were not those of a create (judged by c-order-create).`,
        'c-order-create',
      );
    ctx.evidence.one_item = summary(d1);
    ctx.evidence.ten_items = summary(r10.delta);
    expect(
      r10.delta.statements - d1.statements <= 2,
      `Creating an order ran ${d1.statements} SQL statements for 1 item and ${r10.delta.statements} for 10: stock, prices or items are handled one statement per item.`,
    );
  }),
];
