'use strict';
const express = require('express');
const { notFound, sendProblem, errorHandler } = require('./errors');
const { authenticate } = require('./request');
const { listProducts, getProduct } = require('./products');
const { createOrder, listOrders, getOrder, cancelOrder, getSummary } = require('./orders');

// Any content type is read as JSON; primitives are accepted here so that they are rejected as 422.
const jsonBody = express.json({ type: () => true, strict: false });

const health = (_req, res) => res.json({ status: 'ok' });

// path -> method -> handlers. A known path with another method answers 405 with an Allow header.
const ROUTES = {
  '/health': { GET: [health] },
  '/products': { GET: [listProducts] },
  '/products/:id': { GET: [getProduct] },
  '/orders': { GET: [authenticate, listOrders], POST: [authenticate, jsonBody, createOrder] },
  '/orders/:id': { GET: [authenticate, getOrder] },
  '/orders/:id/cancel': { POST: [authenticate, cancelOrder] },
  '/customers/me/summary': { GET: [authenticate, getSummary] },
};

function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  for (const [path, methods] of Object.entries(ROUTES)) {
    const route = app.route(path);
    for (const [method, handlers] of Object.entries(methods)) route[method.toLowerCase()](...handlers);
    const allow = Object.keys(methods).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    route.all((req, res) => {
      res.set('Allow', allow.join(', '));
      if (req.method === 'OPTIONS') return res.status(204).end();
      return sendProblem(res, 405, `${req.method} is not allowed on this resource.`);
    });
  }

  app.use(() => {
    throw notFound('No such endpoint.');
  });
  app.use(errorHandler);
  return app;
}

module.exports = { createApp };
