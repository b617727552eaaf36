'use strict';
// Registration, login, refresh, logout.
const { pool } = require('./db');
const { HttpError, conflict, invalid } = require('./errors');
const { body, stringField, clientIp } = require('./request');
const { checkPolicy, hashPassword, verifyPassword, verifyAgainstNothing } = require('./passwords');
const { assertNotThrottled, recordFailure, clearAccount } = require('./rate-limit');
const { startSession, rotate, revokeFamily, revokeAllOf } = require('./sessions');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const normalizeEmail = (email) => email.trim().toLowerCase();

const toUser = (r) => ({ id: Number(r.id), email: r.email, role: r.role, created_at: r.created_at });

// One body for every failed login, whether the e-mail is unknown or the password wrong.
const invalidCredentials = () =>
  new HttpError(
    401,
    'The e-mail or password is not correct.',
    {},
    'https://auth.example/problems/invalid-credentials',
  );

async function register(req, res) {
  const b = body(req);
  const email = stringField(b, 'email', 254).trim();
  if (!EMAIL.test(email)) throw invalid('email must be an e-mail address.');
  checkPolicy(b.password);
  const hash = await hashPassword(b.password);
  try {
    const { rows } = await pool.query(
      'INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id, email, role, created_at',
      [email, hash],
    );
    const user = toUser(rows[0]);
    console.log(`user ${user.id} registered`);
    res.status(201).location(`/users/${user.id}`).json(user);
  } catch (err) {
    if (err.code === '23505') throw conflict('An account with this e-mail already exists.');
    throw err;
  }
}

async function login(req, res) {
  const b = body(req);
  const email = normalizeEmail(stringField(b, 'email', 254));
  const password = stringField(b, 'password', 1024);
  const ip = clientIp(req);
  await assertNotThrottled(email, ip);
  const { rows } = await pool.query('SELECT id, role, password_hash FROM users WHERE lower(email) = $1', [
    email,
  ]);
  const user = rows[0];
  const ok = user ? await verifyPassword(user.password_hash, password) : await verifyAgainstNothing(password);
  await pool.query('INSERT INTO login_audit (user_id, email, success, client_ip) VALUES ($1, $2, $3, $4)', [
    user ? user.id : null,
    email,
    ok,
    ip,
  ]);
  if (!ok) {
    await recordFailure(email, ip);
    throw invalidCredentials();
  }
  await clearAccount(email);
  console.log(`user ${user.id} logged in from ${ip}`);
  res.json(await startSession({ id: Number(user.id), role: user.role }));
}

async function refresh(req, res) {
  const token = stringField(body(req), 'refresh_token');
  res.json(await rotate(token));
}

async function logout(req, res) {
  await revokeFamily(req.auth.sessionId);
  res.status(204).end();
}

async function logoutAll(req, res) {
  await revokeAllOf(req.auth.userId);
  await revokeFamily(req.auth.sessionId);
  res.status(204).end();
}

module.exports = { register, login, refresh, logout, logoutAll, toUser, normalizeEmail };
