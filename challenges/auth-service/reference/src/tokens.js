'use strict';
// Access tokens: JWS compact serialization (RFC 7515) signed with HS256 (RFC 7518 §3.2) under JWT_SECRET,
// 15 minutes long. Only HS256 is accepted (RFC 8725 §3.1): the header's `alg` never chooses the algorithm.
// Opaque tokens (refresh, reset): 32 random bytes, base64url; stored as their SHA-256 digest.
const crypto = require('node:crypto');

const ACCESS_TTL_S = 900;
const KEY = Buffer.from(process.env.JWT_SECRET || '', 'utf8');

const b64json = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hmac = (data) => crypto.createHmac('sha256', KEY).update(data).digest();

function signAccessToken({ userId, role, sessionId }) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64json({ alg: 'HS256', typ: 'JWT' });
  const payload = b64json({
    sub: String(userId),
    role,
    sid: sessionId,
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + ACCESS_TTL_S,
  });
  return `${header}.${payload}.${hmac(`${header}.${payload}`).toString('base64url')}`;
}

function parseJson(segment) {
  try {
    const v = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

// The claims of a valid token, or null: three segments, header alg exactly HS256, a signature that matches
// (compared in constant time), exp in the future, nbf (if any) in the past.
function verifyAccessToken(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, p, s] = parts;
  const header = parseJson(h);
  if (!header || header.alg !== 'HS256') return null;
  const expected = hmac(`${h}.${p}`);
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const claims = parseJson(p);
  if (!claims) return null;
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) return null;
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now)) return null;
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
  return claims;
}

const randomToken = () => crypto.randomBytes(32).toString('base64url');
const digest = (token) => crypto.createHash('sha256').update(token).digest('hex');

module.exports = { ACCESS_TTL_S, signAccessToken, verifyAccessToken, randomToken, digest };
