import { defineCheck, expect, type CheckContext } from '../../../grader';
import {
  created,
  createOrderForFixture,
  fx,
  makeProduct,
  obj,
  orderCount,
  page,
  postOrder,
  someProducts,
  stockOf,
} from './fixtures';

interface DbOrder {
  id: string;
  status: string;
  total_cents: number;
  created_at: Date;
}

async function dbOrder(
  ctx: CheckContext,
  id: number,
): Promise<{
  order: DbOrder;
  items: { product_id: number; quantity: number; unit_price_cents: number; sku: string; name: string }[];
}> {
  const o = await ctx.db.query<DbOrder>(
    'SELECT id::text, status, total_cents, created_at FROM orders WHERE id = $1',
    [id],
  );
  const items = await ctx.db.query<{
    product_id: string;
    quantity: number;
    unit_price_cents: number;
    sku: string;
    name: string;
  }>(
    `SELECT i.product_id::text, i.quantity, i.unit_price_cents, p.sku, p.name FROM order_items i JOIN products p ON p.id = i.product_id
      WHERE i.order_id = $1 ORDER BY i.product_id`,
    [id],
  );
  return { order: o[0]!, items: items.map((i) => ({ ...i, product_id: Number(i.product_id) })) };
}

/** Compares an order representation with the stored order; returns the first difference or null. */
export async function orderDifference(
  ctx: CheckContext,
  body: Record<string, unknown>,
  id: number,
): Promise<string | null> {
  const { order, items } = await dbOrder(ctx, id);
  if (!order) return `order ${id} is not stored`;
  if (body.id !== id) return `"id" is ${JSON.stringify(body.id)}, expected the number ${id}`;
  if (body.status !== order.status)
    return `"status" is ${JSON.stringify(body.status)}, stored ${order.status}`;
  if (body.total_cents !== order.total_cents)
    return `"total_cents" is ${JSON.stringify(body.total_cents)}, stored ${order.total_cents}`;
  if (typeof body.created_at !== 'string' || Date.parse(body.created_at) !== order.created_at.getTime()) {
    return `"created_at" is ${JSON.stringify(body.created_at)}, stored ${order.created_at.toISOString()}`;
  }
  if (!Array.isArray(body.items)) return '"items" is not an array';
  const got = (body.items as Record<string, unknown>[])
    .map((i) => {
      const p = (i.product ?? {}) as Record<string, unknown>;
      return {
        product_id: p.id,
        sku: p.sku,
        name: p.name,
        quantity: i.quantity,
        unit_price_cents: i.unit_price_cents,
      };
    })
    .sort((x, y) => Number(x.product_id) - Number(y.product_id));
  const want = items.map((i) => ({
    product_id: i.product_id,
    sku: i.sku,
    name: i.name,
    quantity: i.quantity,
    unit_price_cents: i.unit_price_cents,
  }));
  if (JSON.stringify(got) !== JSON.stringify(want))
    return `"items" do not match the stored items (expected ${JSON.stringify(want).slice(0, 300)})`;
  return null;
}

export const correctnessChecks = [
  defineCheck('c-health', async (ctx) => {
    const r = await ctx.app.request({ path: '/health' });
    expect(r.status === 200, `GET /health answered ${r.status}.`);
    expect(
      (r.json as { status?: unknown } | undefined)?.status === 'ok',
      'GET /health must answer {"status":"ok"}.',
    );
  }),

  defineCheck('c-product-get', async (ctx) => {
    for (const p of await someProducts(ctx, 3)) {
      const r = await ctx.app.request({ path: `/products/${p.id}` });
      expect(r.status === 200, `GET /products/{id} of an existing product answered ${r.status}.`);
      const want = { id: p.id, sku: p.sku, name: p.name, price_cents: p.price_cents, stock: p.stock };
      const b = obj(r, 'GET /products/{id}');
      const got = { id: b.id, sku: b.sku, name: b.name, price_cents: b.price_cents, stock: b.stock };
      expect(
        JSON.stringify(got) === JSON.stringify(want),
        'GET /products/{id} does not return the stored product fields.',
        { got, want },
      );
    }
    const missing = await ctx.app.request({ path: '/products/987654321' });
    expect(
      missing.status === 404,
      `GET /products/{id} of a missing product answered ${missing.status}, expected 404.`,
    );
  }),

  defineCheck('c-product-search', async (ctx) => {
    const word = fx(ctx).searchWord;
    const q = word[0]!.toUpperCase() + word.slice(1, -1) + word.slice(-1).toUpperCase();
    const r = page(
      await ctx.app.request({ path: `/products?q=${encodeURIComponent(q)}&limit=100` }),
      'GET /products?q=',
    );
    const want = await ctx.db.query<{ id: string }>(
      `SELECT id::text FROM products WHERE name ILIKE '%' || $1 || '%' ORDER BY products.id LIMIT 100`,
      [word],
    );
    const got = r.data.map((p) => p.id);
    expect(
      JSON.stringify(got) === JSON.stringify(want.map((w) => Number(w.id))),
      'GET /products?q= must return the products whose name contains q (case-insensitively), ordered by id.',
      { q, first_expected: want.slice(0, 5).map((w) => Number(w.id)), first_got: got.slice(0, 5) },
    );
    const all = page(await ctx.app.request({ path: '/products?limit=5' }), 'GET /products');
    const first = await ctx.db.query<{ id: string }>(
      'SELECT id::text FROM products ORDER BY products.id LIMIT 5',
    );
    expect(
      JSON.stringify(all.data.map((p) => p.id)) === JSON.stringify(first.map((f) => Number(f.id))),
      'GET /products without q must list all products by id.',
    );
  }),

  defineCheck('c-order-create', async (ctx) => {
    const actor = fx(ctx).fresh;
    const products = await someProducts(ctx, 3);
    const items = products.map((p, i) => ({ product_id: p.id, quantity: i + 1 }));
    const before = await stockOf(
      ctx,
      products.map((p) => p.id),
    );
    const r = await postOrder(ctx, actor, { items });
    // Any 2xx creates; that it is exactly 201 with a Location is a-create-location's property.
    expect(created(r), `POST /orders with a valid body answered ${r.status}, expected a 2xx success.`);
    const b = obj(r, 'POST /orders');
    expect(typeof b.id === 'number', 'The created order has no numeric "id".');
    const stored = await ctx.db.query<{ customer_id: string; status: string; total_cents: number }>(
      'SELECT customer_id::text, status, total_cents FROM orders WHERE id = $1',
      [b.id],
    );
    expect(stored.length === 1, 'The order returned by POST /orders is not stored.');
    const total = products.reduce((s, p, i) => s + p.price_cents * (i + 1), 0);
    expect(
      Number(stored[0]!.customer_id) === actor.id,
      'The order is stored for another customer than the caller.',
    );
    expect(
      stored[0]!.status === 'pending' && stored[0]!.total_cents === total,
      `The stored order must be pending with total_cents ${total} computed from product prices.`,
      stored[0],
    );
    const diff = await orderDifference(ctx, b, b.id as number);
    expect(diff === null, `POST /orders response: ${diff}.`);
    const after = await stockOf(
      ctx,
      products.map((p) => p.id),
    );
    products.forEach((p, i) =>
      expect(
        after.get(p.id) === (before.get(p.id) ?? 0) - (i + 1),
        'Stock did not decrease by the ordered quantity.',
      ),
    );
  }),

  defineCheck('c-order-get', async (ctx) => {
    const a = fx(ctx).heavyA;
    const ids = await ctx.db.query<{ order_id: string }>(
      `SELECT i.order_id::text FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.customer_id = $1
        GROUP BY i.order_id HAVING count(*) >= 3 ORDER BY i.order_id DESC LIMIT 3`,
      [a.id],
    );
    for (const { order_id } of ids) {
      const r = await ctx.app.request({ path: `/orders/${order_id}`, headers: a.auth });
      expect(r.status === 200, `GET /orders/{id} of the caller's order answered ${r.status}.`);
      const diff = await orderDifference(ctx, obj(r, 'GET /orders/{id}'), Number(order_id));
      expect(diff === null, `GET /orders/{id}: ${diff}.`);
    }
  }),

  defineCheck('c-order-list', async (ctx) => {
    const c = fx(ctx).light;
    const r = page(await ctx.app.request({ path: '/orders?limit=100', headers: c.auth }), 'GET /orders');
    const want = await ctx.db.query<{ id: string; status: string; total_cents: number; n: string }>(
      `SELECT o.id::text, o.status, o.total_cents, (SELECT count(*) FROM order_items i WHERE i.order_id = o.id)::text AS n
         FROM orders o WHERE o.customer_id = $1 ORDER BY o.created_at DESC, o.id DESC`,
      [c.id],
    );
    expect(
      JSON.stringify(r.data.map((o) => o.id)) === JSON.stringify(want.map((w) => Number(w.id))),
      "GET /orders must list the caller's orders newest first (created_at, then id, descending).",
      { got: r.data.map((o) => o.id), want: want.map((w) => Number(w.id)) },
    );
    for (const [i, w] of want.entries()) {
      const o = r.data[i]!;
      expect(
        o.item_count === Number(w.n),
        `"item_count" of order ${w.id} is ${JSON.stringify(o.item_count)}, expected ${w.n}.`,
      );
      expect(
        o.status === w.status && o.total_cents === w.total_cents,
        `Order ${w.id} in the list does not match the stored order.`,
      );
      expect(!('items' in o), 'List entries carry "item_count", not "items".');
    }
    const a = fx(ctx).heavyA;
    const paid = page(
      await ctx.app.request({ path: '/orders?status=paid&limit=20', headers: a.auth }),
      'GET /orders?status=paid',
    );
    const wantPaid = await ctx.db.query<{ id: string }>(
      `SELECT id::text FROM orders WHERE customer_id = $1 AND status = 'paid' ORDER BY created_at DESC, orders.id DESC LIMIT 20`,
      [a.id],
    );
    expect(
      JSON.stringify(paid.data.map((o) => o.id)) === JSON.stringify(wantPaid.map((w) => Number(w.id))),
      'GET /orders?status=paid must return only paid orders, newest first.',
    );
  }),

  defineCheck('c-order-cancel', async (ctx) => {
    const actor = fx(ctx).fresh;
    const pid = await makeProduct(ctx, 10);
    const { id } = await createOrderForFixture(ctx, actor, { items: [{ product_id: pid, quantity: 4 }] });
    const r = await ctx.app.request({ method: 'POST', path: `/orders/${id}/cancel`, headers: actor.auth });
    expect(r.status === 200, `Cancelling a pending order answered ${r.status}, expected 200.`);
    expect(
      obj(r, 'POST /orders/{id}/cancel').status === 'cancelled',
      'The cancelled order must be returned with status "cancelled".',
    );
    const st = await ctx.db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [id]);
    expect(st[0]?.status === 'cancelled', 'The order is not stored as cancelled.');
    expect((await stockOf(ctx, [pid])).get(pid) === 10, 'Cancelling did not restore the stock.');
    const again = await ctx.app.request({
      method: 'POST',
      path: `/orders/${id}/cancel`,
      headers: actor.auth,
    });
    expect(
      again.status === 409,
      `Cancelling an already cancelled order answered ${again.status}, expected 409.`,
    );
    expect((await stockOf(ctx, [pid])).get(pid) === 10, 'A second cancel changed the stock again.');
  }),

  defineCheck('c-summary', async (ctx) => {
    for (const actor of [fx(ctx).heavyA, fx(ctx).light, fx(ctx).empty]) {
      const r = await ctx.app.request({ path: '/customers/me/summary', headers: actor.auth });
      expect(r.status === 200, `GET /customers/me/summary answered ${r.status}.`);
      const b = obj(r, 'GET /customers/me/summary');
      const w = (
        await ctx.db.query<{ n: string; spent: string; last: Date | null }>(
          `SELECT count(*)::text AS n, coalesce(sum(total_cents) FILTER (WHERE status IN ('paid','shipped')), 0)::text AS spent,
                  max(created_at) AS last FROM orders WHERE customer_id = $1`,
          [actor.id],
        )
      )[0]!;
      const lastOk =
        w.last === null
          ? b.last_order_at === null
          : typeof b.last_order_at === 'string' && Date.parse(b.last_order_at) === w.last.getTime();
      expect(
        b.order_count === Number(w.n) && b.total_spent_cents === Number(w.spent) && lastOk,
        'The summary does not match the stored orders (order_count counts every order; total_spent_cents counts paid and shipped ones).',
        {
          got: b,
          want: { order_count: Number(w.n), total_spent_cents: Number(w.spent), last_order_at: w.last },
        },
      );
    }
  }),

  defineCheck('c-stock-conflict', async (ctx) => {
    const actor = fx(ctx).fresh;
    const scarce = await makeProduct(ctx, 3);
    const plenty = await makeProduct(ctx, 50);
    const n0 = await orderCount(ctx, actor.id);
    const r = await postOrder(ctx, actor, {
      items: [
        { product_id: plenty, quantity: 1 },
        { product_id: scarce, quantity: 5 },
      ],
    });
    expect(r.status === 409, `An order beyond the available stock answered ${r.status}, expected 409.`);
    const s = await stockOf(ctx, [scarce, plenty]);
    expect(
      s.get(scarce) === 3 && s.get(plenty) === 50,
      'A refused order changed stock: nothing may change when any product lacks stock.',
      Object.fromEntries(s),
    );
    expect((await orderCount(ctx, actor.id)) === n0, 'A refused order was stored.');
  }),

  defineCheck('c-stock-concurrency', async (ctx) => {
    const pid = await makeProduct(ctx, 5);
    const crowd = fx(ctx).crowd;
    const tries = 20;
    const rs = await Promise.all(
      Array.from({ length: tries }, (_, i) =>
        postOrder(ctx, crowd[i % crowd.length]!, { items: [{ product_id: pid, quantity: 1 }] }).catch(
          () => null,
        ),
      ),
    );
    const made = rs.filter((r) => created(r)).length;
    const conflicts = rs.filter((r) => r?.status === 409).length;
    const stock = (await stockOf(ctx, [pid])).get(pid);
    const items = await ctx.db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM order_items WHERE product_id = $1',
      [pid],
    );
    ctx.evidence.outcome = { created: made, conflicts, stock, stored_items: Number(items[0]!.n) };
    expect(
      made === 5 && conflicts === tries - 5,
      `${tries} concurrent orders of 1 unit for a product with stock 5 must give 5 successes (2xx) and ${tries - 5} × 409; got ${made} × 2xx and ${conflicts} × 409.`,
    );
    expect(
      stock === 0 && Number(items[0]!.n) === 5,
      'Concurrent orders left stock and stored items inconsistent.',
    );
  }),

  defineCheck('c-unknown-product', async (ctx) => {
    const actor = fx(ctx).fresh;
    const n0 = await orderCount(ctx, actor.id);
    const p = (await someProducts(ctx, 1))[0]!;
    const r = await postOrder(ctx, actor, {
      items: [
        { product_id: p.id, quantity: 1 },
        { product_id: 987654321, quantity: 1 },
      ],
    });
    // Refused with a client error; that it is exactly 422 problem+json is a-problem-json's property.
    expect(
      r.status >= 400 && r.status <= 499,
      `An order with an unknown product answered ${r.status}, expected a 4xx refusal.`,
    );
    expect((await orderCount(ctx, actor.id)) === n0, 'An order with an unknown product was stored.');
    expect(
      (await stockOf(ctx, [p.id])).get(p.id) === p.stock,
      'An order with an unknown product changed stock.',
    );
  }),
];
