// Seeds the `shop` database: 250 products with a deterministic category and price.
module.exports = async (db) => {
  const products = Array.from({ length: 250 }, (_, i) => ({
    _id: i + 1,
    sku: `SKU-${String(i + 1).padStart(5, '0')}`,
    category: ['books', 'games', 'tools'][i % 3],
    price_cents: 100 + ((i * 37) % 900),
  }));
  await db.collection('products').insertMany(products);
  await db.collection('products').createIndex({ category: 1 });
};
