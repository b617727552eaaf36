'use strict';
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('error', (err) => console.error('idle database connection failed:', err.message));

// Indexes the endpoints need (the challenge creates only the keys): the login lookup by e-mail, which is
// also what makes e-mails unique case-insensitively, and the refresh-token and reset-token lookups by digest.
const INDEXES = [
  'CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email))',
  'CREATE UNIQUE INDEX IF NOT EXISTS refresh_tokens_token_hash_key ON refresh_tokens (token_hash)',
  'CREATE INDEX IF NOT EXISTS refresh_tokens_family_idx ON refresh_tokens (family_id)',
  'CREATE INDEX IF NOT EXISTS refresh_tokens_user_idx ON refresh_tokens (user_id)',
  'CREATE UNIQUE INDEX IF NOT EXISTS password_resets_token_hash_key ON password_resets (token_hash)',
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
  for (const sql of INDEXES) await pool.query(sql);
}

// Runs fn(client) in one transaction.
async function transaction(fn) {
  const client = await pool.connect();
  let broken;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr) => (broken = rollbackErr));
    throw err;
  } finally {
    client.release(broken);
  }
}

module.exports = { pool, waitForDatabase, ensureIndexes, transaction };
