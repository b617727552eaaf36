// Cache-aside in Redis: JSON values under `product:<id>`, each with a TTL; deleted when the product changes.
const { redis } = require('./db');

const TTL_S = 120;
const keyOf = (id) => `product:${id}`;

async function cached(id, load) {
  const hit = await redis.get(keyOf(id));
  if (hit !== null) return JSON.parse(hit);
  const value = await load();
  if (value !== null) await redis.set(keyOf(id), JSON.stringify(value), 'EX', TTL_S);
  return value;
}

async function invalidate(id) {
  await redis.del(keyOf(id));
}

module.exports = { cached, invalidate };
