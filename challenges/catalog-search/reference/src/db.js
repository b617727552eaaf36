// Connections: MongoDB (MONGODB_URL, official driver) and Redis (REDIS_URL, ioredis), and the indexes the
// endpoints need, created at start-up (idempotent): products by category then rating (category searches and
// top-rated), reviews by product then date (latest reviews, rating summary).
const { MongoClient } = require('mongodb');
const Redis = require('ioredis');

const mongo = new MongoClient(process.env.MONGODB_URL, { maxPoolSize: 8 });
const db = mongo.db();
const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2 });
redis.on('error', (err) => console.error('redis:', err.message));

const products = db.collection('products');
const reviews = db.collection('reviews');
const apiKeys = db.collection('api_keys');

async function connect() {
  await mongo.connect();
  await products.createIndex({ category: 1, rating: -1 });
  await reviews.createIndex({ product_id: 1, created_at: -1 });
}

async function close() {
  await mongo.close();
  redis.disconnect();
}

module.exports = { connect, close, redis, products, reviews, apiKeys };
