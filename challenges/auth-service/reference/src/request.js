'use strict';
const { pool } = require('./db');
const { redis } = require('./redis');
const { verifyAccessToken } = require('./tokens');
const { unauthorized, invalid, forbidden } = require('./errors');

// The client's address: the last X-Forwarded-For entry (written by the proxy in front of the service), else
// the socket's.
function clientIp(req) {
  const xff = req.get('x-forwarded-for');
  if (xff) {
    const last = xff.split(',').pop().trim();
    if (last) return last.slice(0, 64);
  }
  return req.socket.remoteAddress || 'unknown';
}

const revokedSessionKey = (sid) => `revoked-session:${sid}`;

// Bearer authentication (RFC 6750): a valid access token whose session was not revoked.
async function authenticate(req, _res, next) {
  const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(req.get('authorization') || '');
  if (!m) throw unauthorized();
  const claims = verifyAccessToken(m[1]);
  if (!claims) throw unauthorized();
  if (await redis.exists(revokedSessionKey(claims.sid))) throw unauthorized();
  req.auth = { userId: claims.sub, role: claims.role, sessionId: claims.sid, exp: claims.exp };
  next();
}

function requireAdmin(req, _res, next) {
  if (req.auth.role !== 'admin') throw forbidden('This endpoint is for administrators.');
  next();
}

function body(req) {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
    throw invalid('The request body must be a JSON object.');
  return req.body;
}

function stringField(b, name, max = 1024) {
  const v = b[name];
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    throw invalid(`${name} must be a non-empty string.`);
  return v;
}

module.exports = { pool, clientIp, authenticate, requireAdmin, body, stringField, revokedSessionKey };
