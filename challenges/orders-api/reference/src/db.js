'use strict';
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('error', (err) => console.error('idle database connection failed:', err.message));

// Indexes the endpoints need on the seeded tables (the challenge creates only the keys). It serves the order
// list, also filtered by status (status is an included column: the rarest status is 10% of a customer's
// orders, so a page reads at most about ten times its size), and the summary, with index-only scans.
const INDEXES = [
  `CREATE INDEX IF NOT EXISTS orders_customer_created_idx
     ON orders (customer_id, created_at DESC, id DESC) INCLUDE (status, total_cents)`,
];

async function waitForDatabase(timeoutMs = 45000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      console.error('database not ready yet:', err.message);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function ensureIndexes() {
  const client = await pool.connect();
  try {
    await client.query("SET maintenance_work_mem = '256MB'");
    for (const sql of INDEXES) await client.query(sql);
  } finally {
    client.release(true); // do not return a session with changed settings to the pool
  }
}

// Runs fn(client) in one transaction; a deadlock victim is retried (concurrent orders lock products in
// product id order, but an order and a cancellation may still meet).
async function transaction(fn) {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr) => (broken = rollbackErr));
      if (err.code === '40P01' && attempt < 3) continue;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

module.exports = { pool, waitForDatabase, ensureIndexes, transaction };
