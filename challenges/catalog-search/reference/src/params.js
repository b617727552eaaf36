// Query-string validation: every parameter is a single string of a known name; anything else is a 400 (so an
// operator such as `category[$ne]=x` can never reach a filter).
const { badRequest } = require('./problem');

function readParams(url, allowed) {
  const out = {};
  for (const name of new Set(url.searchParams.keys())) {
    if (!allowed.includes(name)) throw badRequest(`Unknown query parameter ${name}.`);
    const values = url.searchParams.getAll(name);
    if (values.length > 1) throw badRequest(`Query parameter ${name} is given more than once.`);
    out[name] = values[0];
  }
  return out;
}

function intParam(value, name, min, max) {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value)) throw badRequest(`${name} must be an integer.`);
  const n = Number(value);
  if (n < min || n > max) throw badRequest(`${name} must be between ${min} and ${max}.`);
  return n;
}

function textParam(value, name) {
  if (value === undefined) return undefined;
  if (value.length === 0 || value.length > 100) throw badRequest(`${name} must be 1 to 100 characters.`);
  return value;
}

module.exports = { readParams, intParam, textParam };
