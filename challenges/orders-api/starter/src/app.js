'use strict';
const { STATUS_CODES } = require('node:http');
const express = require('express');
const { pool } = require('./db');

// Errors are application/problem+json (RFC 9457); see "Conventions" in README.md.
function sendProblem(res, status, detail) {
  const body = { type: 'about:blank', title: STATUS_CODES[status], status };
  if (detail) body.detail = detail;
  res.status(status).type('application/problem+json').send(JSON.stringify(body));
}

const notImplemented = (_req, res) => sendProblem(res, 501, 'Not implemented yet.');

function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());

  app.get('/health', (_req, res) => res.json({ status: 'ok' }));

  app.get('/products/:id', async (req, res) => {
    if (!/^[1-9][0-9]{0,17}$/.test(req.params.id)) {
      return sendProblem(res, 404, 'The product does not exist.');
    }
    const { rows } = await pool.query(
      'SELECT id, sku, name, price_cents, stock FROM products WHERE id = $1',
      [req.params.id],
    );
    if (rows.length === 0) return sendProblem(res, 404, 'The product does not exist.');
    const [p] = rows;
    return res.json({
      id: Number(p.id),
      sku: p.sku,
      name: p.name,
      price_cents: p.price_cents,
      stock: p.stock,
    });
  });

  // TODO (README.md, "Endpoints"): products whose name contains q, keyset pagination on id.
  app.get('/products', notImplemented);

  // TODO (README.md, "Authentication"): every endpoint below takes `Authorization: Bearer <token>`.
  // TODO (README.md, "POST /orders"): stock, prices and totals, atomically, also under concurrent orders.
  app.post('/orders', notImplemented);
  // TODO (README.md, "GET /orders"): the caller's orders, newest first, with a cursor.
  app.get('/orders', notImplemented);
  // TODO (README.md, "GET /orders/{id}"): only the caller's own orders.
  app.get('/orders/:id', notImplemented);
  // TODO (README.md, "POST /orders/{id}/cancel"): pending orders only; restores the stock.
  app.post('/orders/:id/cancel', notImplemented);
  // TODO (README.md, "GET /customers/me/summary").
  app.get('/customers/me/summary', notImplemented);

  // TODO (README.md, "Conventions"): 405 with an Allow header for a known path with another method.
  app.use((_req, res) => sendProblem(res, 404, 'No such endpoint.'));

  app.use((err, _req, res, _next) => {
    if (err.type === 'entity.parse.failed') {
      return sendProblem(res, 400, 'The request body is not valid JSON.');
    }
    console.error(err);
    return sendProblem(res, 500);
  });
  return app;
}

module.exports = { createApp };
