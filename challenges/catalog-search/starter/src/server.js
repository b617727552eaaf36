// Starter of catalog-search: connects to MongoDB ($MONGODB_URL) and Redis ($REDIS_URL) and answers
// GET /health. Every other route answers 501 Not Implemented; README.md is the contract to implement.
const http = require('node:http');
const { MongoClient } = require('mongodb');
const Redis = require('ioredis');

const mongo = new MongoClient(process.env.MONGODB_URL);
const redis = new Redis(process.env.REDIS_URL);
// TODO: the collections are mongo.db().collection('products' | 'reviews' | 'api_keys').
void redis;

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}

function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
  // TODO: GET /products, GET /products/facets, GET and PATCH /products/:id, GET /categories/:category/top-rated.
  return send(
    res,
    501,
    { type: 'about:blank', title: 'Not Implemented', status: 501 },
    'application/problem+json',
  );
}

mongo.connect().then(() => {
  http.createServer(handle).listen(Number(process.env.PORT), '0.0.0.0');
});
