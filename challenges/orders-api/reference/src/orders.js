'use strict';
const { pool, transaction } = require('./db');
const { notFound, conflict, invalid } = require('./errors');
const { parseId, parseLimit, encodeCursor, decodeCursor } = require('./request');

const STATUSES = ['pending', 'paid', 'shipped', 'cancelled'];
const MAX_INTEGER = 2147483647; // total_cents is a PostgreSQL integer

const toOrder = (row) => ({
  id: Number(row.id),
  status: row.status,
  total_cents: row.total_cents,
  created_at: row.created_at.toISOString(),
});

const toItem = (row) => ({
  product: { id: Number(row.product_id), sku: row.sku, name: row.name },
  quantity: row.quantity,
  unit_price_cents: row.unit_price_cents,
});

const byProductId = (a, b) => Number(a.product_id) - Number(b.product_id);

// Body of POST /orders: only `items` is read; every other field is ignored. Returns the items sorted by
// product id, so that concurrent orders lock their products in the same order.
function parseItems(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('The body must be a JSON object with an items array.');
  }
  const { items } = body;
  if (!Array.isArray(items) || items.length < 1 || items.length > 50) {
    throw invalid('items must be an array of 1 to 50 entries.');
  }
  const seen = new Set();
  const parsed = items.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw invalid(`items[${i}] must be an object.`);
    }
    const { product_id: productId, quantity } = item;
    if (!Number.isSafeInteger(productId) || productId < 1) {
      throw invalid(`items[${i}].product_id must be a positive integer.`);
    }
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000) {
      throw invalid(`items[${i}].quantity must be an integer from 1 to 1000.`);
    }
    if (seen.has(productId)) throw invalid(`items[${i}].product_id appears more than once.`);
    seen.add(productId);
    return { product_id: productId, quantity };
  });
  return parsed.sort(byProductId);
}

// POST /orders
async function createOrder(req, res) {
  const items = parseItems(req.body);
  const productIds = items.map((item) => item.product_id);
  const quantities = items.map((item) => item.quantity);

  const order = await transaction(async (client) => {
    // Take the stock of every product at once; a row whose stock is too low is not updated.
    const { rows: taken } = await client.query(
      `UPDATE products p SET stock = p.stock - x.quantity
       FROM unnest($1::bigint[], $2::int[]) AS x(product_id, quantity)
       WHERE p.id = x.product_id AND p.stock >= x.quantity
       RETURNING p.id AS product_id, p.sku, p.name, p.price_cents AS unit_price_cents, x.quantity`,
      [productIds, quantities],
    );
    if (taken.length < items.length) {
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM products WHERE id = ANY($1::bigint[])',
        [productIds],
      );
      if (rows[0].n < items.length) throw invalid('An item names a product that does not exist.');
      throw conflict('A product does not have enough stock for this order.');
    }
    taken.sort(byProductId);
    const total = taken.reduce((sum, item) => sum + item.quantity * item.unit_price_cents, 0);
    if (total > MAX_INTEGER) throw invalid('The order total is too large.');

    const { rows } = await client.query(
      `WITH o AS (
         INSERT INTO orders (customer_id, status, total_cents) VALUES ($1, 'pending', $2)
         RETURNING id, status, total_cents, created_at
       ), i AS (
         INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
         SELECT o.id, x.product_id, x.quantity, x.unit_price_cents
         FROM o, unnest($3::bigint[], $4::int[], $5::int[]) AS x(product_id, quantity, unit_price_cents)
       )
       SELECT id, status, total_cents, created_at FROM o`,
      [
        req.customerId,
        total,
        taken.map((item) => item.product_id),
        taken.map((item) => item.quantity),
        taken.map((item) => item.unit_price_cents),
      ],
    );
    return { ...toOrder(rows[0]), items: taken.map(toItem) };
  });

  res.status(201).location(`/orders/${order.id}`).json(order);
}

// GET /orders?status=&limit=&cursor=  (keyset on created_at desc, id desc; the cursor keeps created_at in
// microseconds because orders created through the API have sub-millisecond timestamps)
async function listOrders(req, res) {
  const { status, cursor } = req.query;
  if (status !== undefined && !STATUSES.includes(status)) {
    throw invalid(`status must be one of ${STATUSES.join(', ')}.`);
  }
  const limit = parseLimit(req.query.limit);
  const after = decodeCursor(cursor, 2);

  const params = [req.customerId];
  const where = ['o.customer_id = $1'];
  if (status) {
    params.push(status);
    where.push(`o.status = $${params.length}`);
  }
  if (after) {
    params.push(after[0], after[1]);
    where.push(
      `(o.created_at, o.id) < (timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::bigint)`,
    );
  }
  params.push(limit + 1);
  const { rows } = await pool.query(
    `SELECT o.id, o.status, o.total_cents, o.created_at,
            (extract(epoch FROM o.created_at) * 1000000)::bigint AS created_us,
            (SELECT count(*) FROM order_items i WHERE i.order_id = o.id)::int AS item_count
     FROM orders o
     WHERE ${where.join(' AND ')}
     ORDER BY o.created_at DESC, o.id DESC
     LIMIT $${params.length}`,
    params,
  );

  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  res.json({
    data: page.map((row) => ({ ...toOrder(row), item_count: row.item_count })),
    next_cursor: rows.length > limit ? encodeCursor([Number(last.created_us), Number(last.id)]) : null,
  });
}

// GET /orders/:id  (one statement: the order joined with its items and their products)
async function getOrder(req, res) {
  const id = parseId(req.params.id);
  const { rows } = await pool.query(
    `SELECT o.id, o.status, o.total_cents, o.created_at,
            i.product_id, p.sku, p.name, i.quantity, i.unit_price_cents
     FROM orders o
     LEFT JOIN order_items i ON i.order_id = o.id
     LEFT JOIN products p ON p.id = i.product_id
     WHERE o.id = $1 AND o.customer_id = $2
     ORDER BY i.product_id`,
    [id, req.customerId],
  );
  if (rows.length === 0) throw notFound('The order does not exist.');
  res.json({ ...toOrder(rows[0]), items: rows.filter((row) => row.product_id !== null).map(toItem) });
}

// POST /orders/:id/cancel
async function cancelOrder(req, res) {
  const id = parseId(req.params.id);
  const order = await transaction(async (client) => {
    // The status guard makes a second (or concurrent) cancellation update nothing.
    const { rows } = await client.query(
      `UPDATE orders SET status = 'cancelled'
       WHERE id = $1 AND customer_id = $2 AND status = 'pending'
       RETURNING id, status, total_cents, created_at`,
      [id, req.customerId],
    );
    if (rows.length === 0) {
      const { rowCount } = await client.query('SELECT 1 FROM orders WHERE id = $1 AND customer_id = $2', [
        id,
        req.customerId,
      ]);
      if (rowCount === 0) throw notFound('The order does not exist.');
      throw conflict('Only a pending order can be cancelled.');
    }
    const { rows: items } = await client.query(
      `UPDATE products p SET stock = p.stock + i.quantity
       FROM order_items i
       WHERE i.order_id = $1 AND p.id = i.product_id
       RETURNING i.product_id, p.sku, p.name, i.quantity, i.unit_price_cents`,
      [id],
    );
    return { ...toOrder(rows[0]), items: items.sort(byProductId).map(toItem) };
  });
  res.json(order);
}

// GET /customers/me/summary
async function getSummary(req, res) {
  const { rows } = await pool.query(
    `SELECT count(*) AS order_count,
            coalesce(sum(total_cents) FILTER (WHERE status IN ('paid', 'shipped')), 0) AS total_spent_cents,
            max(created_at) AS last_order_at
     FROM orders WHERE customer_id = $1`,
    [req.customerId],
  );
  const [row] = rows;
  res.json({
    order_count: Number(row.order_count),
    total_spent_cents: Number(row.total_spent_cents),
    last_order_at: row.last_order_at ? row.last_order_at.toISOString() : null,
  });
}

module.exports = { createOrder, listOrders, getOrder, cancelOrder, getSummary };
