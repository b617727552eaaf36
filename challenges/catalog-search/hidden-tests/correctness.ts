/**
 * Correctness checks of catalog-search: search with filters and sorts, facets, product detail, top-rated,
 * read-after-write through the cache, and the rate limit itself. Ground truth is read from MongoDB at check
 * time, so writes of earlier checks never make a correct answer look wrong.
 */
import { defineCheck, expect } from '../../../grader';
import {
  burst,
  docs,
  freshProduct,
  freshReader,
  get,
  idsOf,
  items,
  nameContains,
  patch,
  product,
  READER_LIMIT,
  reviewsOf,
  stored,
  type StoredProduct,
} from './fixtures';

const same = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

export const correctnessChecks = [
  defineCheck('c-health', async (ctx) => {
    const r = await ctx.app.request({ path: '/health' });
    expect(r.status === 200, `GET /health answered ${r.status}.`);
    expect(
      (r.json as { status?: unknown } | null)?.status === 'ok',
      'GET /health did not answer {"status":"ok"}.',
    );
  }),

  defineCheck('c-search-filters', async (ctx) => {
    const [sample] = await stored(ctx, { category: 'toys', stock: { $gt: 0 } }, { price_cents: 1 }, 1);
    expect(sample, 'the seeded toys are missing.');
    const cases = [
      {
        path: `/products?category=toys&brand=${sample.brand}&min_price=500&max_price=100000&in_stock=true&limit=50`,
        filter: {
          category: 'toys',
          brand: sample.brand,
          price_cents: { $gte: 500, $lte: 100000 },
          stock: { $gt: 0 },
        },
      },
      { path: '/products?category=home&tag=eco&limit=40', filter: { category: 'home', tags: 'eco' } },
      { path: '/products?brand=brand-007&in_stock=false&limit=30', filter: { brand: 'brand-007', stock: 0 } },
    ];
    for (const c of cases) {
      const want = await stored(
        ctx,
        c.filter,
        { price_cents: 1 },
        Number(new URL(c.path, 'http://x').searchParams.get('limit')),
      );
      const r = await get(ctx, c.path);
      expect(r.status === 200, `GET ${c.path} answered ${r.status}.`);
      const got = idsOf(r);
      expect(
        same(
          got,
          want.map((p) => p._id),
        ),
        `GET ${c.path} did not answer the matching products in price order (ties by id).`,
        { expected: want.map((p) => p._id).slice(0, 20), got: got.slice(0, 20) },
      );
      const first = items(r)[0];
      const w = want[0];
      if (w)
        expect(
          first?.price_cents === w.price_cents &&
            first?.stock === w.stock &&
            first?.category === w.category &&
            first?.brand === w.brand,
          `GET ${c.path}: the first item's fields differ from the stored product ${w._id}.`,
          { expected: w, got: first },
        );
    }
  }),

  defineCheck('c-search-sorts', async (ctx) => {
    const sorts: [string, Record<string, 1 | -1>][] = [
      ['-price', { price_cents: -1 }],
      ['rating', { rating: -1 }],
      ['newest', { created_at: -1 }],
    ];
    for (const [name, sort] of sorts) {
      const path = `/products?category=garden&sort=${name}&limit=25`;
      const want = (await stored(ctx, { category: 'garden' }, sort, 25)).map((p) => p._id);
      const r = await get(ctx, path);
      expect(r.status === 200, `GET ${path} answered ${r.status}.`);
      expect(same(idsOf(r), want), `GET ${path} is not in ${name} order (ties by id ascending).`, {
        expected: want,
        got: idsOf(r),
      });
    }
  }),

  defineCheck('c-search-text', async (ctx) => {
    // In a small category: the store filters the category itself and matches text on few products.
    const category = 'tools';
    const pool = await stored(ctx, { category }, { _id: 1 });
    const sample = pool[ctx.rng.int(0, pool.length - 1)];
    expect(sample, `the seeded ${category} products are missing.`);
    const [first, second] = sample.name.split(' ');
    // Each matches at least the sample: upper case against the stored lower case; a word and an id's start.
    const texts = [
      `${second!.toUpperCase()} ${String(sample._id).slice(0, 2)}`,
      `${first![0]!.toUpperCase()}${first!.slice(1)}`,
    ];
    for (const q of texts) {
      const path = `/products?category=${category}&q=${encodeURIComponent(q)}&limit=100`;
      const want = (await stored(ctx, { category, name: nameContains(q) }, { price_cents: 1 }, 100)).map(
        (p) => p._id,
      );
      const r = await get(ctx, path);
      expect(r.status === 200, `GET ${path} answered ${r.status}.`);
      const got = idsOf(r);
      expect(
        same(got, want),
        `GET ${path} did not answer the products whose name contains "${q}" (letters without case), in price order.`,
        { expected: want.slice(0, 20), got: got.slice(0, 20) },
      );
    }
  }),

  defineCheck('c-facets', async (ctx) => {
    const path = '/products/facets?category=sports&in_stock=true';
    const all = await stored(ctx, { category: 'sports', stock: { $gt: 0 } }, { price_cents: 1 });
    const count = (values: string[]) => {
      const m = new Map<string, number>();
      for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
      return [...m]
        .map(([value, n]) => ({ value, count: n }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    };
    const want = {
      total: all.length,
      brands: count(all.map((p) => p.brand)),
      tags: count(all.flatMap((p) => p.tags)),
    };
    const r = await get(ctx, path);
    expect(r.status === 200, `GET ${path} answered ${r.status}.`);
    const got = (r.json ?? {}) as Record<string, unknown>;
    for (const k of ['total', 'brands', 'tags'] as const)
      expect(same([got[k]], [want[k]]), `GET ${path}: "${k}" does not match the catalogue.`, {
        expected: JSON.stringify(want[k]).slice(0, 400),
        got: JSON.stringify(got[k] ?? null).slice(0, 400),
      });
  }),

  defineCheck('c-product-detail', async (ctx) => {
    const id = freshProduct(ctx);
    const p = (await product(ctx, id))!;
    const reviews = await reviewsOf(ctx, id);
    const stars: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const rv of reviews) stars[rv.rating]! += 1;
    const sum = reviews.reduce((s, rv) => s + rv.rating, 0);
    const r = await get(ctx, `/products/${id}`);
    expect(r.status === 200, `GET /products/${id} answered ${r.status}.`);
    const d = (r.json ?? {}) as Record<string, unknown>;
    for (const k of ['name', 'category', 'brand', 'price_cents', 'stock', 'rating', 'review_count'] as const)
      expect(
        d[k] === p[k],
        `GET /products/${id}: "${k}" is ${JSON.stringify(d[k])}, stored ${JSON.stringify(p[k])}.`,
      );
    expect(d.id === id, `GET /products/${id}: "id" is ${JSON.stringify(d.id)}.`);
    const summary = (d.rating_summary ?? {}) as Record<string, unknown>;
    const want = { average: Math.round((sum / reviews.length) * 10) / 10, count: reviews.length, stars };
    expect(
      summary.average === want.average && summary.count === want.count && same([summary.stars], [stars]),
      `GET /products/${id}: rating_summary does not match its ${reviews.length} reviews.`,
      { expected: want, got: summary },
    );
    const latest = Array.isArray(d.latest_reviews) ? (d.latest_reviews as Record<string, unknown>[]) : [];
    const wantLatest = reviews.slice(0, 5).map((rv) => rv._id);
    expect(
      same(
        latest.map((x) => x.id),
        wantLatest,
      ),
      `GET /products/${id}: latest_reviews are not its five newest.`,
      {
        expected: wantLatest,
        got: latest.map((x) => x.id),
      },
    );
    const missing = await get(ctx, '/products/987654321');
    expect(missing.status === 404, `GET /products/987654321 (no such product) answered ${missing.status}.`);
  }),

  defineCheck(
    'c-top-rated',
    async (ctx) => {
      const top = await stored(
        ctx,
        { category: 'music', review_count: { $gte: 5 } },
        { rating: -1, review_count: -1 },
        5,
      );
      const r = await get(ctx, '/categories/music/top-rated?limit=5');
      expect(r.status === 200, `GET /categories/music/top-rated?limit=5 answered ${r.status}.`);
      const got = items(r);
      expect(
        same(
          got.map((x) => x.id),
          top.map((p) => p._id),
        ),
        'Top-rated music products are not the five with the best rating (then most reviews, then lowest id) among those with 5 reviews or more.',
        { expected: top.map((p) => p._id), got: got.map((x) => x.id) },
      );
      for (const [i, p] of top.entries()) {
        const [newest] = await reviewsOf(ctx, p._id);
        const lr = (got[i]?.latest_review ?? null) as Record<string, unknown> | null;
        expect(
          lr?.id === newest?._id,
          `Top-rated product ${p._id}: latest_review is not its newest review.`,
          {
            expected: newest?._id,
            got: lr,
          },
        );
      }
    },
    { timeoutMs: 120_000 },
  ),

  defineCheck('c-read-after-write', async (ctx) => {
    const id = freshProduct(ctx);
    const before = (await product(ctx, id)) as StoredProduct;
    for (let i = 0; i < 2; i++) {
      const r = await get(ctx, `/products/${id}`);
      expect(r.status === 200, `GET /products/${id} answered ${r.status}.`);
    }
    const changes = [
      { price_cents: before.price_cents + 111 },
      { stock: before.stock + 7 },
      { price_cents: before.price_cents + 222, stock: 0 },
    ];
    for (const change of changes) {
      const w = await patch(ctx, id, change);
      expect(w.status === 200, `PATCH /products/${id} ${JSON.stringify(change)} answered ${w.status}.`);
      const r = await get(ctx, `/products/${id}`);
      const d = (r.json ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(change))
        expect(
          d[k] === v,
          `After PATCH ${JSON.stringify(change)}, GET /products/${id} answered ${k} ${JSON.stringify(d[k])}: a stale value.`,
        );
    }
    const doc = await docs(ctx)
      .db.collection<{ _id: number } & Record<string, unknown>>('products')
      .findOne({ _id: id });
    expect(
      doc?.price_cents === before.price_cents + 222 && doc?.stock === 0,
      'The PATCHed values are not stored in MongoDB.',
    );
  }),

  defineCheck('c-rate-limit', async (ctx) => {
    const key = freshReader(ctx);
    const b = await burst(ctx, key, 2 * READER_LIMIT + 1);
    const early = b.statuses.slice(0, READER_LIMIT).findIndex((s) => s !== 200);
    expect(
      early === -1,
      `Search ${early + 1} of a fresh key answered ${b.statuses[early]}; the first ${READER_LIMIT} must succeed.`,
      {
        statuses: b.statuses,
      },
    );
    expect(
      b.limited,
      `${b.statuses.length} searches in a row with one reader key were never refused with 429.`,
      {
        statuses: b.statuses.length,
      },
    );
    const other = await burst(ctx, freshReader(ctx), 1);
    expect(
      other.statuses[0] === 200,
      `Another key's first search answered ${other.statuses[0]} while the first key was limited.`,
    );
  }),
];
