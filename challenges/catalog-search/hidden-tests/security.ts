/**
 * Security checks of catalog-search: MongoDB operator injection in query strings and JSON bodies (OWASP
 * API8:2023, ZAP rule 40033), authentication and authorisation of PATCH, mass assignment (OWASP API3:2023),
 * and a rate limit that a client cannot escape by claiming another address (X-Forwarded-For).
 */
import { defineCheck, expect, massAssignment, must, NotAssessed } from '../../../grader';
import {
  burst,
  docs,
  freshProduct,
  freshReader,
  get,
  idsOf,
  nameContains,
  patch,
  product,
  READER_LIMIT,
  stored,
} from './fixtures';

/** Query strings whose operator syntax (`a[$op]=…`, as qs-style parsers read it) would widen the search. */
const QUERY_PROBES = [
  'category[$ne]=no-such-category',
  'category[$gt]=',
  'category[$regex]=.*',
  'brand[$exists]=true',
  'brand[$in][]=brand-001&brand[$in][]=brand-002',
  'min_price[$gt]=0',
  'tag[$ne]=none',
  'category=no-such-category&$where=1',
  'category=no-such-category&$or[0][category]=toys',
];

/** PATCH bodies with operators where a number is expected, or update operators at the top level. */
const BODY_PROBES: unknown[] = [
  { price_cents: { $gt: 0 } },
  { stock: { $inc: 1000 } },
  { $set: { price_cents: 1 } },
  { stock: { $where: 'sleep(100)' } },
  { price_cents: { $regex: '.*' } },
  { stock: [1] },
];

/**
 * Search texts made of regular-expression metacharacters, each a literal part of the probe product's name.
 * Taken as a pattern they match other names (`.*` every one), none (`(a+)+$`, the textbook catastrophic
 * pattern: CWE-1333) or are no valid pattern at all (`[`, a trailing `\\`).
 */
const TEXT_PROBES = ['.*', '(a+)+$', '[x]', '\\d |', '{2} ?', '[', '\\'];

/** The name of the product the text probe adds: contains every probe, literally. */
const probeName = (id: number): string => `probe ${id} (a+)+$ .* [x] \\d | ^ {2} ? [ \\`;

export const securityChecks = [
  defineCheck('s-operator-injection-query', async (ctx) => {
    const base = await get(ctx, '/products?category=no-such-category&limit=5');
    expect(
      base.status === 200 && idsOf(base).length === 0,
      `The baseline search for a missing category answered ${base.status} with ${idsOf(base).length} items.`,
    );
    const widened: { probe: string; status: number; items: number }[] = [];
    const seen: { probe: string; status: number; items: number }[] = [];
    for (const q of QUERY_PROBES) {
      const r = await get(ctx, `/products?${q}&limit=5`);
      const row = { probe: q, status: r.status, items: idsOf(r).length };
      seen.push(row);
      if ((r.status === 200 && row.items > 0) || r.status >= 500) widened.push(row);
    }
    ctx.evidence.probes = seen;
    expect(
      widened.length === 0,
      `GET /products?${widened[0]?.probe} answered ${widened[0]?.status}${widened[0]?.items ? ` with ${widened[0]?.items} products` : ''}: a query operator reached the filter (NoSQL injection) or broke the service. Unknown or malformed parameters must be refused with 400.`,
      { owasp: 'API8:2023' },
    );
  }),

  defineCheck('s-search-text-literal', async (ctx) => {
    // In a small category: the store filters the category itself and matches text on few products.
    const category = 'baby';
    const pool = await stored(ctx, { category }, { _id: 1 });
    const sample = pool[ctx.rng.int(0, pool.length - 1)];
    expect(sample, `the seeded ${category} products are missing.`);
    const search = async (q: string): Promise<{ status: number; got: unknown[]; want: unknown[] }> => {
      const want = await stored(ctx, { category, name: nameContains(q) }, { price_cents: 1 }, 100);
      const r = await get(ctx, `/products?category=${category}&q=${encodeURIComponent(q)}&limit=100`);
      return { status: r.status, got: idsOf(r), want: want.map((p) => p._id) };
    };
    const plain = sample.name.split(' ')[1]!;
    const base = await search(plain);
    if (base.status !== 200 || JSON.stringify(base.got) !== JSON.stringify(base.want))
      throw new NotAssessed(
        `GET /products?category=${category}&q=${plain} did not answer the products whose name contains "${plain}", so how metacharacters are treated was not observed.`,
        'c-search-text',
      );
    // A product whose name holds every probe, added as the shop's other systems would (directly in MongoDB).
    const id = 8_000_000 + ctx.rng.int(0, 100_000) * 10;
    await docs(ctx)
      .db.collection<{ _id: number } & Record<string, unknown>>('products')
      .insertOne({ ...sample, _id: id, name: probeName(id), sku: `SKU-PROBE-${id}` });
    const seen: { q: string; status: number; expected: number; got: number }[] = [];
    let wrong: { q: string; status: number; expected: unknown[]; got: unknown[] } | undefined;
    for (const q of TEXT_PROBES) {
      const r = await search(q);
      seen.push({ q, status: r.status, expected: r.want.length, got: r.got.length });
      if (!wrong && (r.status !== 200 || JSON.stringify(r.got) !== JSON.stringify(r.want)))
        wrong = { q, status: r.status, expected: r.want.slice(0, 10), got: r.got.slice(0, 10) };
    }
    ctx.evidence.probes = seen;
    expect(
      !wrong,
      `GET /products?category=${category}&q=${encodeURIComponent(wrong?.q ?? '')} answered ${wrong?.status}${wrong?.status === 200 ? ` with ${wrong.got.length ? 'other' : 'no'} products` : ''}: the search text must be matched literally (product ${id}, named "${probeName(id)}", contains it). Taken as a regular expression, a client's text can make the store backtrack for seconds (CWE-1333).`,
      { owasp: 'API8:2023', cwe: 'CWE-1333', first_wrong: wrong },
    );
  }),

  defineCheck('s-operator-injection-body', async (ctx) => {
    const id = freshProduct(ctx);
    const before = await product(ctx, id);
    const answers: { body: string; status: number }[] = [];
    // Bodies as JSON text in the evidence: it shows the `$` operators exactly as sent (the runner stores a key
    // that starts with `$` in its full-width form).
    for (const body of BODY_PROBES)
      answers.push({ body: JSON.stringify(body), status: (await patch(ctx, id, body)).status });
    const after = await product(ctx, id);
    ctx.evidence.answers = answers;
    const accepted = answers.find((a) => a.status !== 400 && a.status !== 422);
    expect(
      !accepted,
      `PATCH /products/${id} with ${accepted?.body} answered ${accepted?.status}: operators in a body must be refused with 400.`,
      {
        owasp: 'API8:2023',
      },
    );
    expect(
      after?.price_cents === before?.price_cents && after?.stock === before?.stock,
      `Refused PATCH bodies with operators still changed product ${id}.`,
      {
        before: { price_cents: before?.price_cents, stock: before?.stock },
        after: { price_cents: after?.price_cents, stock: after?.stock },
      },
    );
  }),

  defineCheck('s-patch-auth', async (ctx) => {
    const id = freshProduct(ctx);
    const before = await product(ctx, id);
    const body = { price_cents: (before?.price_cents ?? 100) + 5 };
    const none = await patch(ctx, id, body, null);
    const unknown = await patch(ctx, id, body, 'ck_edit_9999_forged00');
    const reader = await patch(ctx, id, body, freshReader(ctx));
    const after = await product(ctx, id);
    ctx.evidence.statuses = { no_key: none.status, unknown_key: unknown.status, reader_key: reader.status };
    expect(
      none.status === 401 && unknown.status === 401,
      `PATCH without a valid key answered ${none.status} (no key) and ${unknown.status} (unknown key), expected 401.`,
      {
        owasp: 'API2:2023',
      },
    );
    expect(reader.status === 403, `PATCH with a reader key answered ${reader.status}, expected 403.`, {
      owasp: 'API5:2023',
    });
    expect(after?.price_cents === before?.price_cents, `A refused PATCH changed the price of product ${id}.`);
  }),

  defineCheck('s-mass-assignment', async (ctx) => {
    const id = freshProduct(ctx);
    const before = await product(ctx, id);
    const injected = { rating: 5, review_count: 99_999, category: 'jewelry', sku: 'SKU-FORGED' };
    must(
      ctx,
      await massAssignment(ctx.app, {
        request: {
          method: 'PATCH',
          path: `/products/${id}`,
          headers: { 'x-api-key': (ctx.state.get('keys') as { editor: string }).editor },
          body: { price_cents: (before?.price_cents ?? 100) + 1, ...injected },
        },
        injected: before?.category === 'jewelry' ? { ...injected, category: 'toys' } : injected,
        readStored: async () =>
          (await docs(ctx)
            .db.collection<{ _id: number } & Record<string, unknown>>('products')
            .findOne({ _id: id })) as Record<string, unknown> | null,
      }),
    );
  }),

  defineCheck('s-rate-limit-spoof', async (ctx) => {
    const key = freshReader(ctx);
    const b = await burst(ctx, key, 2 * READER_LIMIT + 1, (i) => ({
      'x-forwarded-for': `203.0.113.${(i % 250) + 1}`,
    }));
    ctx.evidence.statuses = b.statuses.length;
    expect(
      b.limited,
      `${b.statuses.length} searches with one reader key but a new X-Forwarded-For each were never refused: the limit must be per API key, whatever address a client claims.`,
      { owasp: 'API4:2023' },
    );
  }),
];
