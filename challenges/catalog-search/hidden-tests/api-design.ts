/**
 * API design checks of catalog-search: keyset pagination that stays complete while products are added,
 * problem+json errors, 405 with Allow, and the rate-limit fields (RFC 9110 Retry-After, IETF httpapi
 * RateLimit header fields draft).
 */
import {
  allOf,
  cursorStyle,
  defineCheck,
  expect,
  methodNotAllowed,
  must,
  paginationIntegrity,
  problemJson,
} from '../../../grader';
import { burst, docs, freshReader, partnerKey, READER_LIMIT, stored } from './fixtures';

/** The draft's fields: `RateLimit-Limit`/`-Remaining`/`-Reset` (draft 03..07) or `RateLimit` (draft 08 and later). */
function rateLimitFields(h: Record<string, string>): boolean {
  const n = (v: string | undefined) => v !== undefined && /^\s*\d+\s*$/.test(v);
  if (n(h['ratelimit-limit']) && n(h['ratelimit-remaining']) && n(h['ratelimit-reset'])) return true;
  return /\br\s*=\s*\d+/.test(h.ratelimit ?? '') || /\bremaining\s*=\s*\d+/.test(h.ratelimit ?? '');
}

export const apiDesignChecks = [
  defineCheck('a-pagination-walk', async (ctx) => {
    const filter = { category: 'jewelry' };
    const expected = (await stored(ctx, filter, { price_cents: 1 })).map((p) => p._id);
    const sample = await docs(ctx)
      .db.collection<{ _id: number } & Record<string, unknown>>('products')
      .findOne({ category: 'jewelry' });
    let next = 9_000_000 + ctx.rng.int(0, 100_000) * 10;
    must(
      ctx,
      await paginationIntegrity(ctx.app, {
        firstPath: '/products?category=jewelry&limit=20',
        style: cursorStyle({ itemsKey: 'items' }),
        headers: { 'x-api-key': partnerKey(ctx) },
        expected,
        maxPages: 200,
        // Before each next page: one product that sorts first and one that sorts last.
        between: async () => {
          for (const price of [1, 999_999_999])
            await docs(ctx)
              .db.collection<{ _id: number } & Record<string, unknown>>('products')
              .insertOne({ ...sample, _id: next++, price_cents: price, created_at: new Date() });
        },
      }),
    );
  }),

  defineCheck('a-problem-json', async (ctx) => {
    const key = { 'x-api-key': partnerKey(ctx) };
    const cases: [string, Record<string, string>, number][] = [
      ['/products/987654321', key, 404],
      ['/products?limit=0', key, 400],
      ['/products?sort=cheapest', key, 400],
      ['/products?colour=red', key, 400],
      ['/products?min_price=ten', key, 400],
      ['/products/1', {}, 401],
      ['/products', { 'x-api-key': 'ck_read_0000_nosuchkey' }, 401],
    ];
    const verdicts: Record<string, ReturnType<typeof problemJson>> = {};
    for (const [path, headers, status] of cases) {
      const r = await ctx.app.request({ path, headers });
      verdicts[`${path} ${headers['x-api-key'] ? '' : '(no key)'}`.trim()] = problemJson(
        r,
        status,
        `GET ${path}`,
      );
    }
    must(ctx, allOf(verdicts));
  }),

  defineCheck('a-method-not-allowed', async (ctx) => {
    must(
      ctx,
      await methodNotAllowed(
        ctx.app,
        [
          { method: 'DELETE', path: '/products/1', allow: ['GET', 'PATCH'] },
          { method: 'POST', path: '/products', allow: ['GET'] },
          { method: 'PUT', path: '/categories/music/top-rated', allow: ['GET'] },
        ],
        { 'x-api-key': partnerKey(ctx) },
      ),
    );
  }),

  defineCheck('a-rate-limit-fields', async (ctx) => {
    const b = await burst(ctx, freshReader(ctx), 2 * READER_LIMIT + 1);
    expect(
      b.first && rateLimitFields(b.first.headers),
      'A search answer lacks the RateLimit fields (RateLimit-Limit, -Remaining, -Reset, or RateLimit).',
      {
        headers: b.first?.headers,
      },
    );
    expect(b.limited, 'The key was never refused with 429, so its fields cannot be checked.');
    const retry = b.limited.headers['retry-after'] ?? '';
    const seconds = /^\d+$/.test(retry.trim()) ? Number(retry) : (Date.parse(retry) - Date.now()) / 1000;
    expect(
      retry !== '' && seconds >= 0 && seconds <= 60,
      `The 429 answer has Retry-After ${JSON.stringify(retry)}: expected the seconds until the window resets.`,
      {
        headers: b.limited.headers,
      },
    );
    expect(rateLimitFields(b.limited.headers), 'The 429 answer lacks the RateLimit fields.', {
      headers: b.limited.headers,
    });
  }),
];
