'use strict';
const { pool } = require('./db');
const { notFound, invalid } = require('./errors');
const { parseId, parseLimit, encodeCursor, decodeCursor } = require('./request');

const toProduct = (row) => ({
  id: Number(row.id),
  sku: row.sku,
  name: row.name,
  price_cents: row.price_cents,
  stock: row.stock,
});

// GET /products?q=&limit=&cursor=  (keyset on id ascending)
async function listProducts(req, res) {
  const { q, cursor } = req.query;
  if (q !== undefined && typeof q !== 'string') throw invalid('q must be a single string.');
  // PostgreSQL text cannot hold NUL: no name contains it, and sending it would fail the query.
  if (q && q.includes('\0')) throw invalid('q must not contain a NUL character.');
  const limit = parseLimit(req.query.limit);
  const after = decodeCursor(cursor, 1);

  const params = [];
  const where = [];
  if (q) {
    params.push(`%${q.replace(/[\\%_]/g, '\\$&')}%`);
    where.push(`name ILIKE $${params.length}`);
  }
  if (after) {
    params.push(after[0]);
    where.push(`id > $${params.length}`);
  }
  params.push(limit + 1);
  const { rows } = await pool.query(
    `SELECT id, sku, name, price_cents, stock FROM products
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id LIMIT $${params.length}`,
    params,
  );

  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  res.json({
    data: page.map(toProduct),
    next_cursor: rows.length > limit ? encodeCursor([Number(last.id)]) : null,
  });
}

// GET /products/:id
async function getProduct(req, res) {
  const id = parseId(req.params.id);
  const { rows } = await pool.query('SELECT id, sku, name, price_cents, stock FROM products WHERE id = $1', [
    id,
  ]);
  if (rows.length === 0) throw notFound('The product does not exist.');
  res.json(toProduct(rows[0]));
}

module.exports = { listProducts, getProduct };
