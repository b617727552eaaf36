// API keys: the `X-API-Key` header names a document of `api_keys` (role reader or editor, its rate limit).
// Keys never change while the service runs, so they are remembered in memory after the first read.
const { apiKeys } = require('./db');
const { unauthorized, forbidden } = require('./problem');

const known = new Map();

async function apiKeyOf(req) {
  const key = req.headers['x-api-key'];
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) throw unauthorized();
  if (!known.has(key)) known.set(key, await apiKeys.findOne({ _id: key }));
  const doc = known.get(key);
  if (!doc) {
    known.delete(key);
    throw unauthorized();
  }
  return doc;
}

async function requireEditor(req) {
  const doc = await apiKeyOf(req);
  if (doc.role !== 'editor') throw forbidden();
  return doc;
}

module.exports = { apiKeyOf, requireEditor };
