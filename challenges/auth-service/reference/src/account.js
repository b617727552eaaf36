'use strict';
// The caller's own account: profile, password change, password reset (OWASP Forgot Password Cheat Sheet:
// the same answer whether or not the e-mail is registered; a random single-use token that expires after 30
// minutes, stored as a digest; the "e-mail" is a row of the outbox table).
const { pool, transaction } = require('./db');
const { HttpError, notFound } = require('./errors');
const { body, stringField } = require('./request');
const { checkPolicy, hashPassword, verifyPassword } = require('./passwords');
const { randomToken, digest } = require('./tokens');
const { revokeAllOf } = require('./sessions');
const { toUser, normalizeEmail } = require('./auth');

const RESET_TTL_MIN = 30;

async function me(req, res) {
  const { rows } = await pool.query('SELECT id, email, role, created_at FROM users WHERE id = $1', [
    req.auth.userId,
  ]);
  if (!rows[0]) throw notFound('The account no longer exists.');
  res.json(toUser(rows[0]));
}

async function changePassword(req, res) {
  const b = body(req);
  const current = stringField(b, 'current_password');
  checkPolicy(b.new_password, 'new_password');
  const { rows } = await pool.query('SELECT password_hash FROM users WHERE id = $1', [req.auth.userId]);
  if (!rows[0] || !(await verifyPassword(rows[0].password_hash, current)))
    throw new HttpError(403, 'The current password is not correct.');
  const hash = await hashPassword(b.new_password);
  await pool.query('UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [
    req.auth.userId,
    hash,
  ]);
  console.log(`user ${req.auth.userId} changed their password`);
  res.status(204).end();
}

async function requestReset(req, res) {
  const email = normalizeEmail(stringField(body(req), 'email', 254));
  const { rows } = await pool.query('SELECT id, email FROM users WHERE lower(email) = $1', [email]);
  if (rows[0]) {
    const token = randomToken();
    await transaction(async (db) => {
      await db.query(
        `INSERT INTO password_resets (user_id, token_hash, expires_at)
         VALUES ($1, $2, now() + make_interval(mins => $3))`,
        [rows[0].id, digest(token), RESET_TTL_MIN],
      );
      await db.query(
        `INSERT INTO outbox (recipient, template, payload) VALUES ($1, 'password_reset', jsonb_build_object('token', $2::text))`,
        [rows[0].email, token],
      );
    });
  }
  res.status(202).json({ status: 'accepted' });
}

async function confirmReset(req, res) {
  const b = body(req);
  const token = stringField(b, 'token');
  checkPolicy(b.new_password, 'new_password');
  const hash = await hashPassword(b.new_password);
  const userId = await transaction(async (db) => {
    const { rows } = await db.query(
      `UPDATE password_resets SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`,
      [digest(token)],
    );
    if (!rows[0]) return null;
    await db.query('UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [
      rows[0].user_id,
      hash,
    ]);
    return rows[0].user_id;
  });
  if (userId === null) throw new HttpError(400, 'The reset token is not valid or has expired.');
  await revokeAllOf(userId);
  console.log(`user ${userId} reset their password`);
  res.status(204).end();
}

module.exports = { me, changePassword, requestReset, confirmReset };
