/**
 * Shared fixtures of the catalog-search hidden tests: the seeded API keys (one fresh reader key per check
 * that spends a rate limit), products picked per check so that one check's cache never serves another's,
 * and the ground truth read from MongoDB as the superuser.
 */
import type { Document, Filter } from 'mongodb';
import {
  serviceOf,
  type CheckContext,
  type HttpResponse,
  type MongodbService,
  type PrepareContext,
  type RedisService,
} from '../../../grader';

/** The MongoDB service (`docs`, database `shop`). */
export const docs = (ctx: Pick<CheckContext, 'services'>): MongodbService =>
  serviceOf(ctx.services, 'docs', 'mongodb');
/** The Redis service (`cache`). */
export const cache = (ctx: Pick<CheckContext, 'services'>): RedisService =>
  serviceOf(ctx.services, 'cache', 'redis');

/** A product as stored (the fields the checks compare). */
export interface StoredProduct {
  _id: number;
  name: string;
  category: string;
  brand: string;
  price_cents: number;
  tags: string[];
  rating: number;
  review_count: number;
  stock: number;
  created_at: Date;
}

/** A review as stored. */
export interface StoredReview {
  _id: number;
  product_id: number;
  rating: number;
  created_at: Date;
}

interface Keys {
  readers: string[];
  editor: string;
  partner: string;
  products: number[];
}

/** Reads the seeded API keys and a pool of products with 6 to 40 reviews (read only: the pod is not started). */
export async function prepare(ctx: PrepareContext): Promise<void> {
  const db = docs(ctx).db;
  const keys = await db
    .collection<{ _id: string; role: string; rate_limit: { limit: number } }>('api_keys')
    .find({})
    .toArray();
  const readers = keys.filter((k) => k.role === 'reader' && k.rate_limit.limit <= 30).map((k) => k._id);
  const editor = keys.find((k) => k.role === 'editor')?._id;
  const partner = keys.find((k) => k.rate_limit.limit > 1000)?._id;
  if (!editor || !partner || readers.length < 20) throw new Error('the seeded api_keys are missing');
  const pool = await db
    .collection<StoredProduct>('products')
    .find({ review_count: { $gte: 6, $lte: 40 } }, { projection: { _id: 1 } })
    .limit(400)
    .toArray();
  const products = pool.map((p) => p._id);
  for (let i = products.length - 1; i > 0; i--) {
    const j = ctx.rng.int(0, i);
    [products[i], products[j]] = [products[j]!, products[i]!];
  }
  ctx.state.set('keys', {
    readers: ctx.rng.int(0, 1) ? readers : readers.reverse(),
    editor,
    partner,
    products,
  });
}

const keys = (ctx: Pick<CheckContext, 'state'>): Keys => ctx.state.get('keys') as Keys;

/** A reader key no other check used (its rate limit is untouched). */
export function freshReader(ctx: CheckContext): string {
  const k = keys(ctx).readers.pop();
  if (!k) throw new Error('out of reader keys');
  return k;
}

/** The editor key (PATCH). */
export const editorKey = (ctx: CheckContext): string => keys(ctx).editor;
/** A key whose rate limit no check reaches (the shop's own service). */
export const partnerKey = (ctx: Pick<CheckContext, 'state'>): string => keys(ctx).partner;

/** A product with 6 to 40 reviews that no other check read or changed. */
export function freshProduct(ctx: CheckContext): number {
  const id = keys(ctx).products.pop();
  if (id === undefined) throw new Error('out of products');
  return id;
}

/** GET `path` with the partner key (or `key`). */
export function get(ctx: CheckContext, path: string, key?: string): Promise<HttpResponse> {
  return ctx.app.request({ path, headers: { 'x-api-key': key ?? partnerKey(ctx) } });
}

/** PATCH /products/:id with the editor key (or `key`; null sends none). */
export function patch(
  ctx: CheckContext,
  id: number,
  body: unknown,
  key?: string | null,
): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  const k = key === undefined ? editorKey(ctx) : key;
  if (k !== null) headers['x-api-key'] = k;
  return ctx.app.request({ method: 'PATCH', path: `/products/${id}`, headers, body });
}

/** Products matching `filter` in `sort` order (ties by id ascending), as stored. */
export function stored(
  ctx: CheckContext,
  filter: Filter<StoredProduct>,
  sort: Record<string, 1 | -1>,
  limit = 0,
): Promise<StoredProduct[]> {
  return docs(ctx)
    .db.collection<StoredProduct>('products')
    .find(filter)
    .sort({ ...sort, _id: 1 })
    .limit(limit)
    .toArray();
}

/** One product as stored, or null. */
export function product(ctx: CheckContext, id: number): Promise<StoredProduct | null> {
  return docs(ctx).db.collection<StoredProduct>('products').findOne({ _id: id });
}

/** The reviews of a product, newest first (ties: higher id first). */
export function reviewsOf(ctx: CheckContext, id: number): Promise<StoredReview[]> {
  return docs(ctx)
    .db.collection<StoredReview>('reviews')
    .find({ product_id: id })
    .sort({ created_at: -1, _id: -1 })
    .toArray();
}

/** The `items` array of a JSON response (empty when absent). */
export function items(r: HttpResponse): Document[] {
  const v = (r.json as { items?: unknown } | null)?.items;
  return Array.isArray(v) ? (v as Document[]) : [];
}

/** Ids of the `items` of a response. */
export const idsOf = (r: HttpResponse): unknown[] => items(r).map((d) => d.id);

/** Sends searches with `key` until the first 429 or `max` requests; returns the statuses and that 429. */
export async function burst(
  ctx: CheckContext,
  key: string,
  max: number,
  headers: (i: number) => Record<string, string> = () => ({}),
): Promise<{ statuses: number[]; limited: HttpResponse | null; first: HttpResponse | null }> {
  const statuses: number[] = [];
  let first: HttpResponse | null = null;
  for (let i = 0; i < max; i++) {
    const r = await ctx.app.request({
      path: '/products?category=jewelry&limit=1',
      headers: { ...headers(i), 'x-api-key': key },
    });
    first ??= r;
    statuses.push(r.status);
    if (r.status === 429) return { statuses, limited: r, first };
  }
  return { statuses, limited: null, first };
}

/** The seeded rate limit of a reader key: searches per window. */
export const READER_LIMIT = 30;

/**
 * The store filter for "name contains `text`, ASCII letters without case, every character literal" (the
 * README's `q`): the text escaped for `$regex` (every metacharacter of the MongoDB/PCRE and RE2 syntaxes).
 */
export function nameContains(text: string): { $regex: string; $options: string } {
  return { $regex: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
}
