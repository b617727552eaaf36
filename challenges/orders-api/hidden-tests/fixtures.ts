import crypto from 'node:crypto';
import { expect, type CheckContext, type HttpResponse } from '../../../grader';

/** A customer the grader acts as, with a bearer token it minted for this run. */
export interface Actor {
  id: number;
  token: string;
  auth: Record<string, string>;
}

/** The run's fixtures, made once by {@link setup}: who acts, and products the grader owns. */
export interface Fixtures {
  /** Customers with thousands of seeded orders. */
  heavyA: Actor;
  heavyB: Actor;
  /** A customer with a handful of seeded orders. */
  light: Actor;
  /** Customers created by the grader: `fresh` places orders, `empty` never does. */
  fresh: Actor;
  empty: Actor;
  /** Extra customers for the concurrency check. */
  crowd: Actor[];
  /** A word of product names with a few hundred matches, for search and pagination. */
  searchWord: string;
}

const FIXTURES = 'fixtures';

/** The fixtures of this run (set up before the first check). */
export function fx(ctx: CheckContext): Fixtures {
  const f = ctx.state.get(FIXTURES) as Fixtures | undefined;
  if (!f) throw new Error('fixtures not set up');
  return f;
}

function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

async function mintToken(ctx: CheckContext, customerId: number, alsoRef: boolean): Promise<Actor> {
  const token = `sg_${ctx.rng.token(32)}`;
  for (const db of alsoRef && ctx.refDb ? [ctx.db, ctx.refDb] : [ctx.db]) {
    await db.query('INSERT INTO api_tokens (token_sha256, customer_id, created_at) VALUES ($1, $2, now())', [
      sha256(token),
      customerId,
    ]);
  }
  return { id: customerId, token, auth: { authorization: `Bearer ${token}` } };
}

async function newCustomer(ctx: CheckContext, tag: string): Promise<number> {
  const r = await ctx.db.query<{ id: string }>(
    `INSERT INTO customers (id, email, name, created_at)
     VALUES ((SELECT max(id) + 1 + $1::int FROM customers), $2, $3, now()) RETURNING id::text`,
    [ctx.rng.int(1, 1000), `grader-${tag}-${ctx.rng.token(8)}@example.test`, `Grader ${tag}`],
  );
  return Number(r[0]!.id);
}

/** Creates the run's customers and tokens (random, so no answer can be hard-coded), and picks a search word. */
export async function setup(ctx: CheckContext): Promise<void> {
  const heavy = await ctx.db.query<{ customer_id: string }>(
    `SELECT customer_id::text FROM orders WHERE customer_id <= 20 GROUP BY customer_id HAVING count(*) >= 1000 ORDER BY orders.customer_id`,
  );
  expect(heavy.length >= 2, 'seed has no heavy customers');
  const a = Number(heavy[ctx.rng.int(0, heavy.length - 1)]!.customer_id);
  const b = Number(heavy.find((h) => Number(h.customer_id) !== a)!.customer_id);
  const lightRows = await ctx.db.query<{ customer_id: string }>(
    `SELECT customer_id::text FROM orders WHERE customer_id BETWEEN $1 AND $1 + 500 GROUP BY customer_id HAVING count(*) BETWEEN 4 AND 30 LIMIT 1`,
    [ctx.rng.int(1000, 90000)],
  );
  const light = Number(lightRows[0]!.customer_id);
  const words = await ctx.db.query<{ w: string; n: string }>(
    `SELECT w, count(*)::text AS n FROM (SELECT lower(split_part(name, ' ', 2)) AS w FROM products) s
      WHERE length(w) >= 4 GROUP BY w HAVING count(*) BETWEEN 100 AND 3000 ORDER BY w`,
  );
  expect(words.length > 0, 'seed has no searchable words');
  const crowd: Actor[] = [];
  for (let i = 0; i < 12; i++) crowd.push(await mintToken(ctx, await newCustomer(ctx, `crowd${i}`), false));
  const f: Fixtures = {
    heavyA: await mintToken(ctx, a, true),
    heavyB: await mintToken(ctx, b, false),
    light: await mintToken(ctx, light, false),
    fresh: await mintToken(ctx, await newCustomer(ctx, 'fresh'), false),
    empty: await mintToken(ctx, await newCustomer(ctx, 'empty'), false),
    crowd,
    searchWord: ctx.rng.pick(words).w,
  };
  ctx.state.set(FIXTURES, f);
}

/** Creates a product owned by the grader with a known price and stock; returns its id. */
export async function makeProduct(ctx: CheckContext, stock: number, price = 1234): Promise<number> {
  const tag = ctx.rng.token(10);
  const r = await ctx.db.query<{ id: string }>(
    `INSERT INTO products (id, sku, name, price_cents, stock)
     VALUES ((SELECT max(id) + 1 FROM products), $1, $2, $3, $4) RETURNING id::text`,
    [`SG-${tag}`, `Grader probe ${tag}`, price, stock],
  );
  return Number(r[0]!.id);
}

/** Random existing seeded product ids. */
export async function someProducts(
  ctx: CheckContext,
  n: number,
): Promise<{ id: number; price_cents: number; stock: number; sku: string; name: string }[]> {
  const ids = new Set<number>();
  while (ids.size < n) ids.add(ctx.rng.int(1, 20000));
  const rows = await ctx.db.query<{
    id: string;
    price_cents: number;
    stock: number;
    sku: string;
    name: string;
  }>(
    'SELECT id::text, price_cents, stock, sku, name FROM products WHERE id = ANY($1::bigint[]) ORDER BY products.id',
    [[...ids]],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Stock of products by id, read as superuser. */
export async function stockOf(ctx: CheckContext, ids: number[]): Promise<Map<number, number>> {
  const rows = await ctx.db.query<{ id: string; stock: number }>(
    'SELECT id::text, stock FROM products WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(rows.map((r) => [Number(r.id), r.stock]));
}

/** Number of orders of a customer, read as superuser. */
export async function orderCount(ctx: CheckContext, customerId: number): Promise<number> {
  const r = await ctx.db.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM orders WHERE customer_id = $1',
    [customerId],
  );
  return Number(r[0]!.n);
}

/** Places an order through the API as `actor`. */
export function postOrder(ctx: CheckContext, actor: Actor, body: unknown): Promise<HttpResponse> {
  return ctx.app.request({ method: 'POST', path: '/orders', headers: actor.auth, body });
}

/** The JSON body as an object, or fails the check. */
export function obj(r: HttpResponse, what: string): Record<string, unknown> {
  expect(
    r.json && typeof r.json === 'object' && !Array.isArray(r.json),
    `${what} did not answer with a JSON object (status ${r.status}).`,
  );
  return r.json as Record<string, unknown>;
}

/** A list page `{data, next_cursor}`, or fails the check. */
export function page(
  r: HttpResponse,
  what: string,
): { data: Record<string, unknown>[]; next_cursor: string | null } {
  const b = obj(r, what);
  expect(r.status === 200, `${what} answered ${r.status}, expected 200.`);
  expect(Array.isArray(b.data), `${what} has no "data" array.`);
  expect(
    b.next_cursor === null || typeof b.next_cursor === 'string',
    `${what}: "next_cursor" must be a string or null.`,
  );
  return { data: b.data as Record<string, unknown>[], next_cursor: b.next_cursor as string | null };
}
