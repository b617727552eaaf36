'use strict';
// Sessions: one refresh-token family per login (RFC 9700 §4.14, refresh token rotation). Every refresh
// marks the presented token used and issues the next one of the family; presenting a used token again is a
// replay, which revokes the whole family. A revoked family's access tokens are refused until they expire
// (a Redis key with the access tokens' lifetime).
const crypto = require('node:crypto');
const { pool, transaction } = require('./db');
const { redis } = require('./redis');
const { revokedSessionKey } = require('./request');
const { ACCESS_TTL_S, signAccessToken, randomToken, digest } = require('./tokens');
const { unauthorized } = require('./errors');

const REFRESH_TTL_DAYS = 30;

async function issueRefresh(db, userId, familyId) {
  const token = randomToken();
  await db.query(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(days => $4))`,
    [userId, familyId, digest(token), REFRESH_TTL_DAYS],
  );
  return token;
}

function tokenResponse(user, familyId, refreshToken) {
  return {
    access_token: signAccessToken({ userId: user.id, role: user.role, sessionId: familyId }),
    token_type: 'Bearer',
    expires_in: ACCESS_TTL_S,
    refresh_token: refreshToken,
  };
}

async function startSession(user) {
  const familyId = crypto.randomUUID();
  const refresh = await issueRefresh(pool, user.id, familyId);
  return tokenResponse(user, familyId, refresh);
}

async function markRevoked(familyIds) {
  if (familyIds.length === 0) return;
  const m = redis.multi();
  for (const f of familyIds) m.set(revokedSessionKey(f), '1', 'EX', ACCESS_TTL_S);
  await m.exec();
}

async function revokeFamily(familyId, db = pool) {
  await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
    familyId,
  ]);
  await markRevoked([familyId]);
}

async function revokeAllOf(userId, db = pool) {
  const { rows } = await db.query(
    `UPDATE refresh_tokens SET revoked_at = now()
      WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
      RETURNING family_id`,
    [userId],
  );
  await markRevoked([...new Set(rows.map((r) => r.family_id))]);
}

// Rotates a refresh token: the next tokens, or 401 (unknown, expired, revoked, or replayed: then the family
// is revoked too).
async function rotate(refreshToken) {
  const outcome = await transaction(async (db) => {
    const { rows } = await db.query(
      `SELECT t.id, t.user_id, t.family_id, t.used_at, t.revoked_at, t.expires_at < now() AS expired, u.role
         FROM refresh_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1
        FOR UPDATE OF t`,
      [digest(refreshToken)],
    );
    const t = rows[0];
    if (!t || t.revoked_at || t.expired) return { ok: false };
    if (t.used_at) {
      await db.query(
        'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL',
        [t.family_id],
      );
      return { ok: false, replayedFamily: t.family_id };
    }
    await db.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [t.id]);
    const next = await issueRefresh(db, t.user_id, t.family_id);
    return { ok: true, body: tokenResponse({ id: t.user_id, role: t.role }, t.family_id, next) };
  });
  if (outcome.replayedFamily) {
    await markRevoked([outcome.replayedFamily]);
    console.warn(`refresh token replayed: session ${outcome.replayedFamily} revoked`);
  }
  if (!outcome.ok) throw unauthorized('The refresh token is not valid.');
  return outcome.body;
}

module.exports = { startSession, rotate, revokeFamily, revokeAllOf };
