'use strict';
// Reading requests: bearer authentication, path ids, list limits and opaque cursors.
const { createHash } = require('node:crypto');
const { pool } = require('./db');
const { notFound, unauthorized, invalid } = require('./errors');

const MAX_BIGINT = 9223372036854775807n;

// Sets req.customerId (a string: bigint) from `Authorization: Bearer <token>`, or answers 401.
async function authenticate(req, _res, next) {
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(req.get('authorization') || '');
  if (!match) throw unauthorized();
  const tokenSha256 = createHash('sha256').update(match[1]).digest('hex');
  const { rows } = await pool.query('SELECT customer_id FROM api_tokens WHERE token_sha256 = $1', [
    tokenSha256,
  ]);
  if (rows.length === 0) throw unauthorized();
  req.customerId = rows[0].customer_id;
  next();
}

// A path id is a positive bigint written in decimal; anything else names no resource (404).
function parseId(raw) {
  if (typeof raw !== 'string' || !/^[0-9]{1,19}$/.test(raw)) throw notFound();
  const id = BigInt(raw);
  if (id < 1n || id > MAX_BIGINT) throw notFound();
  return id.toString();
}

function parseLimit(raw) {
  if (raw === undefined) return 20;
  if (typeof raw !== 'string' || !/^[0-9]{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
    throw invalid('limit must be an integer from 1 to 100.');
  }
  return Number(raw);
}

// A cursor is the base64url JSON of the last returned row's sort key: an array of safe integers.
function encodeCursor(key) {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(raw, length) {
  if (raw === undefined) return null;
  let key;
  try {
    if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(raw)) throw new Error();
    key = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor is not a cursor returned by this API.');
  }
  if (!Array.isArray(key) || key.length !== length || !key.every(Number.isSafeInteger)) {
    throw invalid('cursor is not a cursor returned by this API.');
  }
  return key;
}

module.exports = { authenticate, parseId, parseLimit, encodeCursor, decodeCursor };
