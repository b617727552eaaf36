// Reference of three-engines: notes in PostgreSQL cached in Redis (cache-aside, 60 s TTL), events and seeded
// products in MongoDB, and GET /reach, which tries what the pod must refuse and reports each outcome.
const http = require('node:http');
const { Pool } = require('pg');
const Redis = require('ioredis');
const { MongoClient } = require('mongodb');

const pg = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const redis = new Redis(process.env.REDIS_URL);
const mongo = new MongoClient(process.env.MONGODB_URL);
const shop = mongo.db();

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || '{}');
}

/** Port + 1 of a URL: the reference twin of that service (a service the candidate was not given). */
function twinOf(url) {
  const u = new URL(url);
  u.port = String(Number(u.port) + 1);
  return u.toString();
}

/** 'allowed' when `attempt` succeeds, 'denied' when it throws. */
async function outcome(attempt) {
  try {
    await attempt();
    return 'allowed';
  } catch {
    return 'denied';
  }
}

async function reach() {
  return {
    postgres_twin: await outcome(async () => {
      const p = new Pool({ connectionString: twinOf(process.env.DATABASE_URL), max: 1 });
      try {
        await p.query('SELECT 1');
      } finally {
        await p.end();
      }
    }),
    postgres_private: await outcome(() => pg.query('SELECT v FROM stackgrade_private.canary')),
    redis_twin: await outcome(async () => {
      const r = new Redis(twinOf(process.env.REDIS_URL), {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      r.on('error', () => undefined);
      try {
        await r.connect();
        await r.ping();
      } finally {
        r.disconnect();
      }
    }),
    redis_config: await outcome(() => redis.config('GET', 'maxmemory')),
    redis_monitor: await outcome(() => redis.call('MONITOR')),
    mongodb_twin: await outcome(async () => {
      const c = new MongoClient(twinOf(process.env.MONGODB_URL), { serverSelectionTimeoutMS: 3000 });
      try {
        await c.db().collection('products').findOne({});
      } finally {
        await c.close();
      }
    }),
    mongodb_private: await outcome(async () => {
      const rows = await mongo.db('stackgrade_private').collection('canary').find({}).toArray();
      if (rows.length === 0) throw new Error('nothing visible');
    }),
  };
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://x');
  const note = /^\/notes\/(\d+)$/.exec(url.pathname);
  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
  if (req.method === 'POST' && url.pathname === '/notes') {
    const { body } = await readBody(req);
    const { rows } = await pg.query('INSERT INTO notes (body) VALUES ($1) RETURNING id', [String(body)]);
    return send(res, 201, { id: Number(rows[0].id) });
  }
  if (req.method === 'GET' && note) {
    const key = `note:${note[1]}`;
    const cached = await redis.get(key);
    if (cached) return send(res, 200, JSON.parse(cached));
    const { rows } = await pg.query('SELECT id, body FROM notes WHERE id = $1', [note[1]]);
    if (!rows[0]) return send(res, 404, { title: 'not found' });
    const found = { id: Number(rows[0].id), body: rows[0].body };
    await redis.set(key, JSON.stringify(found), 'EX', 60);
    return send(res, 200, found);
  }
  if (req.method === 'POST' && url.pathname === '/events') {
    const { type } = await readBody(req);
    await shop.collection('events').insertOne({ type: String(type), at: new Date() });
    return send(res, 201, { stored: true });
  }
  if (req.method === 'GET' && url.pathname === '/events/count') {
    const count = await shop
      .collection('events')
      .countDocuments({ type: String(url.searchParams.get('type')) });
    return send(res, 200, { count });
  }
  if (req.method === 'GET' && url.pathname === '/products/count')
    return send(res, 200, { count: await shop.collection('products').countDocuments({}) });
  if (req.method === 'GET' && url.pathname === '/reach') return send(res, 200, await reach());
  return send(res, 404, { title: 'not found' });
}

mongo.connect().then(() => {
  http
    .createServer((req, res) => {
      handle(req, res).catch((err) => send(res, 500, { title: String(err.message) }));
    })
    .listen(Number(process.env.PORT), '127.0.0.1');
});
