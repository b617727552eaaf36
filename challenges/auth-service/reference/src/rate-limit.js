'use strict';
// Login throttling in Redis (OWASP Authentication Cheat Sheet, "Login Throttling"): failed logins are
// counted per account (the normalized e-mail, known or not) and per client address in fixed 15-minute
// windows that expire on their own. 5 failures lock the account's logins, 20 the client's, until the window
// ends: a 429 with Retry-After. A successful login clears the account's count.
const crypto = require('node:crypto');
const { redis } = require('./redis');
const { HttpError } = require('./errors');

const WINDOW_S = 900;
const ACCOUNT_LIMIT = 5;
const CLIENT_LIMIT = 20;

const accountKey = (email) => `login-fail:acct:${crypto.createHash('sha256').update(email).digest('hex')}`;
const clientKey = (ip) => `login-fail:ip:${ip}`;

async function assertNotThrottled(email, ip) {
  const [[, a], [, c], [, ta], [, tc]] = await redis
    .multi()
    .get(accountKey(email))
    .get(clientKey(ip))
    .ttl(accountKey(email))
    .ttl(clientKey(ip))
    .exec();
  const blocked = [];
  if (Number(a) >= ACCOUNT_LIMIT) blocked.push(ta);
  if (Number(c) >= CLIENT_LIMIT) blocked.push(tc);
  if (blocked.length) {
    const retryAfter = Math.max(1, ...blocked.map((t) => (t > 0 ? t : WINDOW_S)));
    throw new HttpError(429, 'Too many failed logins; try again later.', {
      'Retry-After': String(retryAfter),
    });
  }
}

async function recordFailure(email, ip) {
  await redis
    .multi()
    .incr(accountKey(email))
    .expire(accountKey(email), WINDOW_S, 'NX')
    .incr(clientKey(ip))
    .expire(clientKey(ip), WINDOW_S, 'NX')
    .exec();
}

const clearAccount = (email) => redis.del(accountKey(email));

module.exports = { assertNotThrottled, recordFailure, clearAccount };
