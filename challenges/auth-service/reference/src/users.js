'use strict';
// User administration: the list and role changes are for administrators (OWASP API5:2023); a user may read
// only their own record (API1:2023), another's is "not found".
const { pool } = require('./db');
const { notFound, invalid, forbidden } = require('./errors');
const { body } = require('./request');
const { toUser } = require('./auth');

function parseId(raw) {
  if (!/^[1-9][0-9]{0,17}$/.test(raw)) throw notFound('The user does not exist.');
  return raw;
}

function intParam(raw, name, min, max, dflt) {
  if (raw === undefined) return dflt;
  if (!/^[0-9]{1,18}$/.test(String(raw))) throw invalid(`${name} must be an integer.`);
  const n = Number(raw);
  if (n < min || n > max) throw invalid(`${name} must be between ${min} and ${max}.`);
  return n;
}

async function listUsers(req, res) {
  const limit = intParam(req.query.limit, 'limit', 1, 100, 20);
  const after = intParam(req.query.after, 'after', 0, Number.MAX_SAFE_INTEGER, 0);
  const { rows } = await pool.query(
    'SELECT id, email, role, created_at FROM users WHERE id > $1 ORDER BY id LIMIT $2',
    [after, limit],
  );
  const items = rows.map(toUser);
  res.json({ items, next_after: items.length === limit ? items[items.length - 1].id : null });
}

async function getUser(req, res) {
  const id = parseId(req.params.id);
  if (req.auth.role !== 'admin' && req.auth.userId !== id) throw notFound('The user does not exist.');
  const { rows } = await pool.query('SELECT id, email, role, created_at FROM users WHERE id = $1', [id]);
  if (!rows[0]) throw notFound('The user does not exist.');
  res.json(toUser(rows[0]));
}

async function updateUser(req, res) {
  if (req.auth.role !== 'admin') throw forbidden('Only administrators may change roles.');
  const id = parseId(req.params.id);
  const role = body(req).role;
  if (role !== 'user' && role !== 'admin') throw invalid("role must be 'user' or 'admin'.");
  const { rows } = await pool.query(
    'UPDATE users SET role = $2 WHERE id = $1 RETURNING id, email, role, created_at',
    [id, role],
  );
  if (!rows[0]) throw notFound('The user does not exist.');
  res.json(toUser(rows[0]));
}

module.exports = { listUsers, getUser, updateUser };
