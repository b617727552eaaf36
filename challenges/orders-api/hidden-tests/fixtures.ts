import crypto from 'node:crypto';
import {
  createForFixture,
  expect,
  type CheckContext,
  type HttpResponse,
  type PrepareContext,
} from '../../../grader';

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

/** A bearer token for `customerId`, not yet stored (see {@link storeTokens}). */
function newActor(ctx: CheckContext, customerId: number): Actor {
  const token = `sg_${ctx.rng.token(32)}`;
  return { id: customerId, token, auth: { authorization: `Bearer ${token}` } };
}

/** Stores the tokens of `actors` (their SHA-256, as the seed's api_tokens holds them) in one statement. */
async function storeTokens(db: CheckContext['db'], actors: Actor[]): Promise<void> {
  await db.query(
    `INSERT INTO api_tokens (token_sha256, customer_id, created_at)
     SELECT t, c, now() FROM unnest($1::text[], $2::bigint[]) AS x(t, c)`,
    [actors.map((a) => sha256(a.token)), actors.map((a) => a.id)],
  );
}

/**
 * Creates customers tagged `tags` in one statement, with ids above the seed's at random gaps (1-1000), so
 * no answer can be hard-coded; returns their ids in the order of `tags`.
 */
async function newCustomers(ctx: CheckContext, tags: string[]): Promise<number[]> {
  let offset = 0;
  const offsets = tags.map(() => (offset += ctx.rng.int(1, 1000)));
  const emails = tags.map((t) => `grader-${t}-${ctx.rng.token(8)}@example.test`);
  const r = await ctx.db.query<{ id: string }>(
    `WITH base AS (SELECT coalesce(max(id), 0) AS m FROM customers)
     INSERT INTO customers (id, email, name, created_at)
     SELECT base.m + x.offs, x.email, x.name, now()
       FROM base, unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS x(offs, email, name, n)
      ORDER BY x.n
     RETURNING id::text`,
    [offsets, emails, tags.map((t) => `Grader ${t}`)],
  );
  // SQL does not promise RETURNING's row order. The ids increase with the offsets, so sorted they follow
  // the order of `tags`.
  return r.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** What {@link prepare} picked from the seeded data. */
interface SeedPicks {
  heavyA: number;
  heavyB: number;
  light: number;
  searchWord: string;
}

const PICKS = 'seed-picks';

/**
 * Picks, from the seeded data, two customers with thousands of orders, one with a handful and a search word
 * (at random, so no answer can be hard-coded). Reads only: it runs while the pod waits for the candidate.
 */
export async function prepare(ctx: PrepareContext): Promise<void> {
  const [heavy, lightRows, words] = await Promise.all([
    ctx.db.query<{ customer_id: string }>(
      `SELECT customer_id::text FROM orders WHERE customer_id <= 20 GROUP BY customer_id HAVING count(*) >= 1000 ORDER BY orders.customer_id`,
    ),
    ctx.db.query<{ customer_id: string }>(
      `SELECT customer_id::text FROM orders WHERE customer_id BETWEEN $1 AND $1 + 500 GROUP BY customer_id HAVING count(*) BETWEEN 4 AND 30 LIMIT 1`,
      [ctx.rng.int(1000, 90000)],
    ),
    ctx.db.query<{ w: string; n: string }>(
      `SELECT w, count(*)::text AS n FROM (SELECT lower(split_part(name, ' ', 2)) AS w FROM products) s
        WHERE length(w) >= 4 GROUP BY w HAVING count(*) BETWEEN 100 AND 3000 ORDER BY w`,
    ),
  ]);
  expect(heavy.length >= 2, 'seed has no heavy customers');
  expect(lightRows.length > 0, 'seed has no light customer in the drawn range');
  expect(words.length > 0, 'seed has no searchable words');
  const heavyA = Number(heavy[ctx.rng.int(0, heavy.length - 1)]!.customer_id);
  const picks: SeedPicks = {
    heavyA,
    heavyB: Number(heavy.find((h) => Number(h.customer_id) !== heavyA)!.customer_id),
    light: Number(lightRows[0]!.customer_id),
    searchWord: ctx.rng.pick(words).w,
  };
  ctx.state.set(PICKS, picks);
}

/**
 * Creates the run's customers and the tokens of every actor (random, so no answer can be hard-coded), once
 * the candidate answers: two statements on the candidate's database and one on the reference's, at once.
 */
export async function setup(ctx: CheckContext): Promise<void> {
  const picks = ctx.state.get(PICKS) as SeedPicks | undefined;
  if (!picks) throw new Error('the seed picks were not prepared');
  const tags = [...Array.from({ length: 12 }, (_, i) => `crowd${i}`), 'fresh', 'empty'];
  const ids = await newCustomers(ctx, tags);
  const crowd = ids.slice(0, 12).map((id) => newActor(ctx, id));
  const f: Fixtures = {
    heavyA: newActor(ctx, picks.heavyA),
    heavyB: newActor(ctx, picks.heavyB),
    light: newActor(ctx, picks.light),
    fresh: newActor(ctx, ids[12]!),
    empty: newActor(ctx, ids[13]!),
    crowd,
    searchWord: picks.searchWord,
  };
  // heavyA also acts on the reference (the performance checks compare both services with its token).
  await Promise.all([
    storeTokens(ctx.db, [...crowd, f.heavyA, f.heavyB, f.light, f.fresh, f.empty]),
    ctx.refDb ? storeTokens(ctx.refDb, [f.heavyA]) : Promise.resolve(),
  ]);
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

/**
 * Places an order as a check's set-up: any 2xx is accepted and the id comes from the body or `Location`
 * (the exact status is judged by a-create-location, the create itself by c-order-create).
 *
 * @throws NotAssessed when no order could be created.
 */
export async function createOrderForFixture(
  ctx: CheckContext,
  actor: Actor,
  body: unknown,
): Promise<{ id: number; response: HttpResponse }> {
  const c = await createForFixture(
    ctx.app,
    { method: 'POST', path: '/orders', headers: actor.auth, body },
    { label: 'POST /orders', judgedBy: 'c-order-create' },
  );
  return { id: Number(c.id), response: c.response };
}

/** Whether a create succeeded: any 2xx (the exact code is a-create-location's property). */
export const created = (r: HttpResponse | null | undefined): boolean =>
  !!r && r.status >= 200 && r.status <= 299;

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
