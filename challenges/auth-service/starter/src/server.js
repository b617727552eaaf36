'use strict';
// Starter of auth-service: the service listens on PORT, answers GET /health and has a database pool.
// Everything else is yours to build (see the challenge's README).
const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('error', (err) => console.error('idle database connection failed:', err.message));

const app = express();
app.use(express.json());

app.get('/health', (_req, res) => res.json({ status: 'ok' }));

// TODO: POST /register, /login, /token/refresh, /logout, /logout-all, /password-reset,
// /password-reset/confirm, /me/password; GET /me, /users, /users/:id; PATCH /users/:id.

const port = Number(process.env.PORT || 8080);
app.listen(port, '0.0.0.0', () => console.log(`auth-service listening on 0.0.0.0:${port}`));
module.exports = { app, pool };
