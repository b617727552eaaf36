// Seeds the `shop` database of catalog-search at image build time (stackgrade-mongo-seed): products, their
// reviews in a collection of their own, and API keys. Deterministic: every value is a hash of its position, so
// each build holds the same documents. Skewed on purpose: categories and brands follow a Zipf-like law, and
// reviews crowd on the first products (the first product holds about 1 % of all reviews).
// The sizes are the constants below (the README states them); only `_id` is indexed here.
const PRODUCTS = 20_000;
const REVIEWS = 40_000;
const READER_KEYS = 2_000;
const EDITOR_KEYS = 50;
const PARTNER_KEYS = 20;
const BATCH = 5_000;

const CATEGORIES = [
  'electronics',
  'home',
  'books',
  'toys',
  'garden',
  'sports',
  'beauty',
  'grocery',
  'fashion',
  'automotive',
  'office',
  'pets',
  'music',
  'games',
  'tools',
  'baby',
  'health',
  'outdoor',
  'crafts',
  'jewelry',
];
const BRAND_COUNT = 200;
const TAGS = [
  'new',
  'sale',
  'eco',
  'bestseller',
  'gift',
  'premium',
  'budget',
  'handmade',
  'imported',
  'local',
  'bundle',
  'limited',
  'refurbished',
  'organic',
  'vegan',
  'wireless',
  'waterproof',
  'compact',
  'kids',
  'pro',
  'classic',
  'smart',
  'travel',
  'outdoor',
  'vintage',
  'modern',
  'durable',
  'lightweight',
  'recycled',
  'solar',
];
const COLORS = ['black', 'white', 'red', 'blue', 'green', 'grey', 'silver', 'gold', 'brown', 'pink'];
const MATERIALS = ['plastic', 'steel', 'wood', 'cotton', 'glass', 'leather', 'aluminium', 'paper', 'ceramic'];
const WORDS = [
  'solid',
  'bright',
  'quiet',
  'swift',
  'nimble',
  'sturdy',
  'gentle',
  'bold',
  'clever',
  'handy',
  'tidy',
  'cosy',
  'lamp',
  'kettle',
  'chair',
  'router',
  'novel',
  'puzzle',
  'rake',
  'ball',
  'cream',
  'coffee',
  'jacket',
  'wiper',
];
const T0 = Date.UTC(2022, 0, 1);
const DAY = 86_400_000;

/** A 32-bit hash of (a, b) mapped to [0, 1): splitmix-like mixing, stable across Node versions. */
function u(a, b) {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const zipfTable = (n, s) => {
  const cdf = [];
  let total = 0;
  for (let k = 0; k < n; k++) total += 1 / Math.pow(k + 1, s);
  let acc = 0;
  for (let k = 0; k < n; k++) cdf.push((acc += 1 / Math.pow(k + 1, s) / total));
  return (x) => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < cdf[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
};

/** The product a review belongs to: density decreasing as id^(-2/3), so low ids collect most reviews. */
const productOfReview = (r) => 1 + Math.min(PRODUCTS - 1, Math.floor(PRODUCTS * Math.pow(u(r, 7), 3)));
/** A product's underlying quality in [2.2, 4.9]: its reviews scatter around it. */
const quality = (p) => 2.2 + 2.7 * u(p, 11);

module.exports = async (db) => {
  const category = zipfTable(CATEGORIES.length, 1.1);
  const brand = zipfTable(BRAND_COUNT, 1.0);
  const tag = zipfTable(TAGS.length, 0.8);
  const count = new Uint32Array(PRODUCTS + 1);
  const sum = new Uint32Array(PRODUCTS + 1);

  for (let start = 1; start <= REVIEWS; start += BATCH) {
    const docs = [];
    for (let r = start; r < start + BATCH && r <= REVIEWS; r++) {
      const p = productOfReview(r);
      const rating = Math.max(1, Math.min(5, Math.round(quality(p) + (u(r, 13) - 0.5) * 3)));
      count[p]++;
      sum[p] += rating;
      docs.push({
        _id: r,
        product_id: p,
        rating,
        title: `${WORDS[Math.floor(u(r, 17) * 12)]} ${WORDS[12 + Math.floor(u(r, 19) * 12)]}`,
        body: `Review ${r} of product ${p}: ${WORDS[Math.floor(u(r, 23) * WORDS.length)]} and ${WORDS[Math.floor(u(r, 29) * WORDS.length)]}.`,
        author: `user${1 + Math.floor(u(r, 31) * 50_000)}`,
        created_at: new Date(T0 + Math.floor(u(r, 37) * 1_700 * DAY)),
      });
    }
    await db.collection('reviews').insertMany(docs, { ordered: false });
  }

  for (let start = 1; start <= PRODUCTS; start += BATCH) {
    const docs = [];
    for (let p = start; p < start + BATCH && p <= PRODUCTS; p++) {
      const tags = [];
      const nTags = 1 + Math.floor(u(p, 41) * 4);
      for (let t = 0; t < nTags; t++) {
        const name = TAGS[tag(u(p, 43 + t))];
        if (!tags.includes(name)) tags.push(name);
      }
      docs.push({
        _id: p,
        sku: `SKU-${String(p).padStart(7, '0')}`,
        name: `${WORDS[Math.floor(u(p, 47) * 12)]} ${WORDS[12 + Math.floor(u(p, 53) * 12)]} ${p}`,
        category: CATEGORIES[category(u(p, 59))],
        brand: `brand-${String(1 + brand(u(p, 61))).padStart(3, '0')}`,
        price_cents: 199 + 100 * Math.floor(Math.exp(u(p, 67) * 7.5)),
        tags,
        rating: count[p] ? Math.round((sum[p] / count[p]) * 10) / 10 : 0,
        review_count: count[p],
        stock: u(p, 71) < 0.15 ? 0 : 1 + Math.floor(u(p, 73) * 500),
        created_at: new Date(T0 + Math.floor(u(p, 79) * 1_700 * DAY)),
        attributes: {
          color: COLORS[Math.floor(u(p, 83) * COLORS.length)],
          material: MATERIALS[Math.floor(u(p, 89) * MATERIALS.length)],
          weight_g: 50 + Math.floor(u(p, 97) * 5_000),
        },
      });
    }
    await db.collection('products').insertMany(docs, { ordered: false });
  }

  const keys = [];
  for (let k = 1; k <= READER_KEYS + EDITOR_KEYS + PARTNER_KEYS; k++) {
    const role = k <= READER_KEYS ? 'read' : k <= READER_KEYS + EDITOR_KEYS ? 'edit' : 'partner';
    const secret = Math.floor(u(k, 101) * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
    keys.push({
      _id: `ck_${role}_${String(k).padStart(4, '0')}_${secret}`,
      role: role === 'edit' ? 'editor' : 'reader',
      owner: `team-${1 + (k % 40)}`,
      // Searches allowed per window; partner keys are the shop's own services.
      rate_limit: { limit: role === 'partner' ? 100_000 : 30, window_s: 10 },
    });
  }
  await db.collection('api_keys').insertMany(keys);
};
