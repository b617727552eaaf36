// Product search (keyset-paginated) and its facet counts (one aggregation per facet, counted in the database).
const { products } = require('./db');
const { badRequest } = require('./problem');
const { readParams, intParam, textParam } = require('./params');
const { nameContains } = require('./text-match');

const FILTERS = ['category', 'brand', 'tag', 'min_price', 'max_price', 'in_stock', 'q'];
// sort name → [field, direction]; ties are broken by _id ascending.
const SORTS = {
  price: ['price_cents', 1],
  '-price': ['price_cents', -1],
  rating: ['rating', -1],
  newest: ['created_at', -1],
};

function filterOf(p) {
  const f = {};
  const category = textParam(p.category, 'category');
  const brand = textParam(p.brand, 'brand');
  const tag = textParam(p.tag, 'tag');
  if (category) f.category = category;
  if (brand) f.brand = brand;
  if (tag) f.tags = tag;
  const q = textParam(p.q, 'q');
  if (q) f.name = nameContains(q);
  const min = intParam(p.min_price, 'min_price', 0, 1e9);
  const max = intParam(p.max_price, 'max_price', 0, 1e9);
  if (min !== undefined || max !== undefined) {
    f.price_cents = {};
    if (min !== undefined) f.price_cents.$gte = min;
    if (max !== undefined) f.price_cents.$lte = max;
  }
  if (p.in_stock !== undefined) {
    if (p.in_stock !== 'true' && p.in_stock !== 'false') throw badRequest('in_stock must be true or false.');
    f.stock = p.in_stock === 'true' ? { $gt: 0 } : 0;
  }
  return f;
}

const encodeCursor = (c) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(text, sort) {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString());
    const ok =
      c &&
      c.s === sort &&
      Number.isInteger(c.id) &&
      (sort === 'newest'
        ? typeof c.v === 'string' && !Number.isNaN(Date.parse(c.v))
        : typeof c.v === 'number');
    if (ok) return sort === 'newest' ? { ...c, v: new Date(c.v) } : c;
  } catch {
    // fall through
  }
  throw badRequest('cursor is not one this service issued for this sort.');
}

function summary(d) {
  return {
    id: d._id,
    sku: d.sku,
    name: d.name,
    category: d.category,
    brand: d.brand,
    price_cents: d.price_cents,
    tags: d.tags,
    rating: d.rating,
    review_count: d.review_count,
    stock: d.stock,
    created_at: d.created_at.toISOString(),
  };
}

async function search(url) {
  const p = readParams(url, [...FILTERS, 'sort', 'limit', 'cursor']);
  const sort = p.sort ?? 'price';
  if (!SORTS[sort]) throw badRequest(`sort must be one of ${Object.keys(SORTS).join(', ')}.`);
  const limit = intParam(p.limit, 'limit', 1, 100) ?? 20;
  const filter = filterOf(p);
  const [field, dir] = SORTS[sort];
  if (p.cursor !== undefined) {
    const c = decodeCursor(p.cursor, sort);
    const after = {
      $or: [{ [field]: { [dir === 1 ? '$gt' : '$lt']: c.v } }, { [field]: c.v, _id: { $gt: c.id } }],
    };
    Object.assign(filter, { $and: [after] });
  }
  const docs = await products
    .find(filter)
    .sort({ [field]: dir, _id: 1 })
    .limit(limit + 1)
    .toArray();
  const page = docs.slice(0, limit);
  const last = page[page.length - 1];
  const next =
    docs.length > limit
      ? encodeCursor({
          s: sort,
          v: field === 'created_at' ? last[field].toISOString() : last[field],
          id: last._id,
        })
      : null;
  return { items: page.map(summary), next_cursor: next };
}

const byCount = (rows) =>
  rows
    .map((r) => ({ value: r._id, count: r.n }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));

async function facets(url) {
  const filter = filterOf(readParams(url, FILTERS));
  const [brands, tags] = await Promise.all([
    products.aggregate([{ $match: filter }, { $group: { _id: '$brand', n: { $sum: 1 } } }]).toArray(),
    products
      .aggregate([{ $match: filter }, { $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }])
      .toArray(),
  ]);
  const total = brands.reduce((s, b) => s + b.n, 0);
  return { total, brands: byCount(brands), tags: byCount(tags) };
}

module.exports = { search, facets, summary };
