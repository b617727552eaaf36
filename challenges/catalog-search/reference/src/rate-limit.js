// Per-API-key fixed-window rate limit in Redis (INCR + EXPIRE in one MULTI): the key's own limit per window,
// 429 with Retry-After (RFC 6585, RFC 9110 §10.2.3) and the RateLimit-* fields of the IETF httpapi draft.
const { redis } = require('./db');
const { HttpProblem } = require('./problem');

async function rateLimit(apiKey, res) {
  const { limit, window_s: windowS } = apiKey.rate_limit;
  const nowS = Math.floor(Date.now() / 1000);
  const window = Math.floor(nowS / windowS);
  const key = `rl:${apiKey._id}:${window}`;
  const [[, count]] = await redis.multi().incr(key).expire(key, windowS, 'NX').exec();
  const reset = (window + 1) * windowS - nowS;
  const headers = {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, limit - count)),
    'RateLimit-Reset': String(reset),
  };
  if (count > limit)
    throw new HttpProblem(
      429,
      'https://catalog.example/problems/rate-limited',
      'Too Many Requests',
      `At most ${limit} searches per ${windowS} s per API key.`,
      { ...headers, 'Retry-After': String(reset) },
    );
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
}

module.exports = { rateLimit };
