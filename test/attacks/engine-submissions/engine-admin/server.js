// Reference of three-engines: notes in PostgreSQL cached in Redis (cache-aside, 60 s TTL), events and seeded
// products in MongoDB, and GET /reach, which tries what the pod must refuse and reports each outcome.
// Hostile variant of three-engines' reference: /reach also tries every Redis admin command, other MongoDB
// databases, users and roles, server-side JavaScript, and FerretDB's PostgreSQL store directly.
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

/** Each Redis command the candidate's ACL user must be refused (docs/engines.md, "Redis"). */
const REDIS_ADMIN = {
  redis_config_get: ['CONFIG', 'GET', 'maxmemory'],
  redis_config_set: ['CONFIG', 'SET', 'maxmemory', '1'],
  redis_debug: ['DEBUG', 'SLEEP', '0'],
  redis_monitor: ['MONITOR'],
  redis_module_load: ['MODULE', 'LOAD', '/tmp/evil.so'],
  redis_acl_setuser: ['ACL', 'SETUSER', 'evil', 'on', '>evil', '~*', '+@all'],
  redis_acl_list: ['ACL', 'LIST'],
  redis_replicaof: ['REPLICAOF', '127.0.0.1', '1'],
  redis_client_kill: ['CLIENT', 'KILL', 'TYPE', 'normal'],
  redis_save: ['SAVE'],
  redis_bgsave: ['BGSAVE'],
  redis_bgrewriteaof: ['BGREWRITEAOF'],
  redis_shutdown: ['SHUTDOWN', 'NOSAVE'],
};

/** Connects to PostgreSQL with `url` and runs one statement; throws when refused. */
async function pgTry(url, sql) {
  const p = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 3000 });
  p.on('error', () => undefined);
  try {
    await p.query(sql);
  } finally {
    await p.end();
  }
}

async function reach() {
  const out = {};
  out.postgres_twin = await outcome(() => pgTry(twinOf(process.env.DATABASE_URL), 'SELECT 1'));
  out.postgres_private = await outcome(() => pg.query('SELECT v FROM stackgrade_private.canary'));
  out.redis_twin = await outcome(async () => {
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
  });
  // SHUTDOWN is the last key: when it were allowed, the other attempts still ran against a live server.
  for (const [name, args] of Object.entries(REDIS_ADMIN)) {
    const r = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      out[name] = await outcome(() => r.call(...args));
    } finally {
      r.disconnect();
    }
  }
  out.mongodb_twin = await outcome(async () => {
    const c = new MongoClient(twinOf(process.env.MONGODB_URL), { serverSelectionTimeoutMS: 3000 });
    try {
      await c.db().collection('products').findOne({});
    } finally {
      await c.close();
    }
  });
  /** Throws unless the read returned documents: an empty answer hides nothing. */
  const readSome = async (db, coll) => {
    const rows = await mongo.db(db).collection(coll).find({}).toArray();
    if (rows.length === 0) throw new Error('nothing visible');
  };
  out.mongodb_private = await outcome(() => readSome('stackgrade_private', 'canary'));
  out.mongodb_admin_users = await outcome(() => readSome('admin', 'system.users'));
  out.mongodb_admin_databases = await outcome(async () => {
    const r = await mongo.db('admin').command({ listDatabases: 1 });
    const names = (r.databases ?? []).map((d) => d.name);
    if (!names.some((n) => n !== shop.databaseName)) throw new Error('only its own database');
  });
  out.mongodb_create_user = await outcome(() =>
    shop.command({ createUser: 'evil', pwd: 'evil', roles: [{ role: 'root', db: 'admin' }] }),
  );
  out.mongodb_create_role = await outcome(() =>
    shop.command({ createRole: 'evil', privileges: [], roles: [{ role: 'root', db: 'admin' }] }),
  );
  out.mongodb_where = await outcome(async () => {
    const rows = await shop.collection('products').find({ $where: 'true' }).toArray();
    if (rows.length === 0) throw new Error('nothing matched');
  });
  out.mongodb_function = await outcome(() =>
    shop
      .collection('products')
      .aggregate([
        { $addFields: { x: { $function: { body: 'function() { return 1; }', args: [], lang: 'js' } } } },
      ])
      .toArray(),
  );
  out.mongodb_eval = await outcome(() => mongo.db('admin').command({ eval: 'function() { return 1; }' }));
  // The PostgreSQL store behind FerretDB, straight on its port (the service's port + 10000), with guesses
  // and with the candidate's own MongoDB credentials.
  const m = new URL(process.env.MONGODB_URL);
  const storePort = Number(m.port) + 10000;
  const guesses = [
    ['postgres', 'postgres'],
    ['postgres', ''],
    ['ferretdb', 'ferretdb'],
    ['stackgrade_admin', 'postgres'],
    [decodeURIComponent(m.username), decodeURIComponent(m.password)],
  ];
  out.mongodb_store_direct = 'denied';
  for (const [user, password] of guesses) {
    const url = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${storePort}/ferretdb`;
    if ((await outcome(() => pgTry(url, 'SELECT 1'))) === 'allowed')
      out.mongodb_store_direct = `allowed as ${user}`;
  }
  return out;
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
