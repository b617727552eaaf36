// Product detail (with its rating summary and latest reviews, cached), its update, and top-rated per category.
const { products, reviews } = require('./db');
const { cached, invalidate } = require('./cache');
const { badRequest, notFound } = require('./problem');
const { readParams, intParam } = require('./params');
const { summary } = require('./search');

const LATEST = 5;

const reviewOf = (r) => ({
  id: r._id,
  rating: r.rating,
  title: r.title,
  body: r.body,
  author: r.author,
  created_at: r.created_at.toISOString(),
});

async function loadDetail(id) {
  const [product, latest, stars] = await Promise.all([
    products.findOne({ _id: id }),
    reviews.find({ product_id: id }).sort({ created_at: -1, _id: -1 }).limit(LATEST).toArray(),
    reviews
      .aggregate([{ $match: { product_id: id } }, { $group: { _id: '$rating', n: { $sum: 1 } } }])
      .toArray(),
  ]);
  if (!product) return null;
  const byStar = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  let count = 0;
  let sum = 0;
  for (const s of stars) {
    byStar[s._id] = s.n;
    count += s.n;
    sum += s._id * s.n;
  }
  return {
    ...summary(product),
    attributes: product.attributes,
    rating_summary: { average: count ? Math.round((sum / count) * 10) / 10 : null, count, stars: byStar },
    latest_reviews: latest.map(reviewOf),
  };
}

function productId(text) {
  if (!/^\d{1,9}$/.test(text)) throw notFound(`No product ${text}.`);
  return Number(text);
}

async function detail(idText) {
  const id = productId(idText);
  const found = await cached(id, () => loadDetail(id));
  if (!found) throw notFound(`No product ${id}.`);
  return found;
}

const EDITABLE = ['price_cents', 'stock'];

async function update(idText, body) {
  const id = productId(idText);
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('The body must be a JSON object.');
  const set = {};
  for (const [k, v] of Object.entries(body)) {
    if (!EDITABLE.includes(k)) throw badRequest(`Field ${k} cannot be changed.`);
    const max = k === 'price_cents' ? 1e9 : 1e6;
    if (!Number.isInteger(v) || v < (k === 'price_cents' ? 1 : 0) || v > max)
      throw badRequest(`${k} must be an integer from ${k === 'price_cents' ? 1 : 0} to ${max}.`);
    set[k] = v;
  }
  if (Object.keys(set).length === 0) throw badRequest('Give price_cents or stock.');
  const updated = await products.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' });
  if (!updated) throw notFound(`No product ${id}.`);
  await invalidate(id);
  return summary(updated);
}

async function topRated(category, url) {
  const p = readParams(url, ['limit']);
  const limit = intParam(p.limit, 'limit', 1, 50) ?? 10;
  const top = await products
    .find({ category, review_count: { $gte: 5 } })
    .sort({ rating: -1, review_count: -1, _id: 1 })
    .limit(limit)
    .toArray();
  const ids = top.map((d) => d._id);
  const latest = new Map();
  if (ids.length) {
    const rows = await reviews
      .find({ product_id: { $in: ids } })
      .sort({ created_at: -1, _id: -1 })
      .toArray();
    for (const r of rows) if (!latest.has(r.product_id)) latest.set(r.product_id, r);
  }
  return {
    items: top.map((d) => {
      const r = latest.get(d._id);
      return {
        id: d._id,
        name: d.name,
        brand: d.brand,
        price_cents: d.price_cents,
        rating: d.rating,
        review_count: d.review_count,
        latest_review: r
          ? { id: r._id, rating: r.rating, title: r.title, created_at: r.created_at.toISOString() }
          : null,
      };
    }),
  };
}

module.exports = { detail, update, topRated };
