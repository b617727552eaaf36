'use strict';
const express = require('express');
const { notFound, sendProblem, errorHandler } = require('./errors');
const { authenticate, requireAdmin } = require('./request');
const { register, login, refresh, logout, logoutAll } = require('./auth');
const { me, changePassword, requestReset, confirmReset } = require('./account');
const { listUsers, getUser, updateUser } = require('./users');

// Any content type is read as JSON; primitives are accepted here so that they are refused as 422.
const jsonBody = express.json({ type: () => true, strict: false, limit: '16kb' });

const health = (_req, res) => res.json({ status: 'ok' });

// path -> method -> handlers. A known path with another method answers 405 with an Allow header.
const ROUTES = {
  '/health': { GET: [health] },
  '/register': { POST: [jsonBody, register] },
  '/login': { POST: [jsonBody, login] },
  '/token/refresh': { POST: [jsonBody, refresh] },
  '/logout': { POST: [authenticate, logout] },
  '/logout-all': { POST: [authenticate, logoutAll] },
  '/me': { GET: [authenticate, me] },
  '/me/password': { POST: [authenticate, jsonBody, changePassword] },
  '/password-reset': { POST: [jsonBody, requestReset] },
  '/password-reset/confirm': { POST: [jsonBody, confirmReset] },
  '/users': { GET: [authenticate, requireAdmin, listUsers] },
  '/users/:id': { GET: [authenticate, getUser], PATCH: [authenticate, jsonBody, updateUser] },
};

function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
    next();
  });

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
