/**
 * Query-optimization checks of catalog-search, decided on the servers' own evidence: the indexes MongoDB
 * lists, the statements FerretDB's store ran for the candidate (pg_stat_statements), MongoDB command counters
 * (`serverStatus`), and Redis counters and TTLs (INFO, SCAN, TTL). FerretDB 1.24 cannot use an index for a
 * filter (it pushes equality down as jsonb containment), so index checks read the declared indexes, not plans.
 */
import type { Redis } from 'ioredis';
import { countCommands, defineCheck, expect, mongoIndexLeadingWith, must, statsDelta } from '../../../grader';
import { cache, docs, freshProduct, get, stored } from './fixtures';

/** Every key of the candidate's Redis (SCAN, never KEYS), up to `max`. */
async function allKeys(redis: Redis, max = 20_000): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0' && keys.length < max);
  return keys;
}

/** Store statements that read the products or reviews table (FerretDB names tables `<collection>_<hash>`). */
const catalogStatements = (detail: { query: string; calls: number }[]) =>
  detail.filter((d) => /"(products|reviews)_[0-9a-f]+"/.test(d.query));

export const queryChecks = [
  defineCheck('q-index-products', async (ctx) => {
    must(ctx, await mongoIndexLeadingWith(docs(ctx).db, 'products', ['category']));
  }),

  defineCheck('q-index-reviews', async (ctx) => {
    must(ctx, await mongoIndexLeadingWith(docs(ctx).db, 'reviews', ['product_id']));
  }),

  defineCheck('q-detail-cached', async (ctx) => {
    const id = freshProduct(ctx);
    const first = await get(ctx, `/products/${id}`);
    expect(first.status === 200, `GET /products/${id} answered ${first.status}.`);
    const { result, delta } = await statsDelta(cache(ctx).redis, () =>
      docs(ctx).store.measure(() => get(ctx, `/products/${id}`)),
    );
    const reads = catalogStatements(result.delta.detail);
    ctx.evidence.redis = delta;
    ctx.evidence.store_statements = reads;
    expect(
      result.result.status === 200,
      `The repeated GET /products/${id} answered ${result.result.status}.`,
    );
    expect(
      delta.keyspace_hits >= 1,
      `The repeated GET /products/${id} did not read the cache (no Redis keyspace hit).`,
    );
    expect(
      result.result.text === first.text,
      `The repeated GET /products/${id} answered another body than the first.`,
    );
    expect(
      reads.length === 0,
      `The repeated GET /products/${id} still read products or reviews from MongoDB (${reads.reduce((s, d) => s + d.calls, 0)} store statements) although it hit the cache.`,
    );
  }),

  defineCheck('q-cache-ttl', async (ctx) => {
    const redis = cache(ctx).redis;
    for (let i = 0; i < 3; i++) await get(ctx, `/products/${freshProduct(ctx)}`);
    await get(ctx, '/products?category=crafts&limit=5');
    const keys = await allKeys(redis);
    expect(keys.length > 0, 'The service wrote nothing to Redis (no cache, no rate-limit counter).');
    const ttls = await Promise.all(
      keys.slice(0, 500).map(async (key) => ({ key, ttl: await redis.ttl(key) })),
    );
    const bad = ttls.filter((t) => t.ttl === -1 || t.ttl > 3600);
    ctx.evidence.keys = keys.length;
    ctx.evidence.sample = ttls.slice(0, 10);
    expect(
      bad.length === 0,
      `Redis key ${bad[0]?.key} has TTL ${bad[0]?.ttl} s (${bad[0]?.ttl === -1 ? 'it never expires' : 'over one hour'}).`,
      {
        offending: bad.slice(0, 10),
      },
    );
  }),

  defineCheck('q-cache-bounded', async (ctx) => {
    const id = freshProduct(ctx);
    await get(ctx, `/products/${id}`);
    const { delta } = await statsDelta(cache(ctx).redis, async () => {
      for (let i = 0; i < 10; i++) await get(ctx, `/products/${id}`);
    });
    ctx.evidence.redis = delta;
    expect(
      delta.keys <= 0,
      `Repeating GET /products/${id} ten times created ${delta.keys} new Redis keys: cache keys must not grow with repeats.`,
    );
  }),

  defineCheck(
    'q-top-rated-round-trips',
    async (ctx) => {
      const db = docs(ctx).db;
      const run = (category: string, limit: number) =>
        countCommands(db, () => get(ctx, `/categories/${category}/top-rated?limit=${limit}`));
      // Two categories no other check reads, so neither answer can come from a cache.
      const small = await run('pets', 2);
      const large = await run('office', 20);
      const largeCount = (
        await stored(ctx, { category: 'office', review_count: { $gte: 5 } }, { rating: -1 }, 20)
      ).length;
      ctx.evidence.commands = { limit_2: small.commands, limit_20: large.commands, products_20: largeCount };
      expect(
        small.result.status === 200 && large.result.status === 200,
        `Top-rated answered ${small.result.status} and ${large.result.status}.`,
      );
      expect(largeCount >= 10, 'the seeded office category has too few reviewed products.');
      expect(
        large.total - small.total <= 1,
        `Top-rated ran ${small.total} MongoDB commands for 2 products and ${large.total} for 20: reviews are read once per product (N+1).`,
      );
    },
    { timeoutMs: 120_000 },
  ),
];
