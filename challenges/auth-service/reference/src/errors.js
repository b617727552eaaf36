'use strict';
// Problem details (RFC 9457): every error response is application/problem+json with type, title, status
// and an optional detail written here, never an exception's message, a stack trace or SQL.
const { STATUS_CODES } = require('node:http');

class HttpError extends Error {
  constructor(status, detail, headers = {}, type = 'about:blank') {
    super(detail || STATUS_CODES[status]);
    this.status = status;
    this.detail = detail;
    this.headers = headers;
    this.type = type;
  }
}

const unauthorized = (detail = 'A valid bearer token is required.') =>
  new HttpError(401, detail, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
const forbidden = (detail = 'You may not do this.') => new HttpError(403, detail);
const notFound = (detail = 'The resource does not exist.') => new HttpError(404, detail);
const conflict = (detail) => new HttpError(409, detail);
const invalid = (detail) => new HttpError(422, detail);

function sendProblem(res, status, detail, headers = {}, type = 'about:blank') {
  const body = { type, title: STATUS_CODES[status] || 'Error', status };
  if (detail) body.detail = detail;
  res.status(status).set(headers).type('application/problem+json').send(JSON.stringify(body));
}

// Last middleware: known errors become their problem; anything else is logged (without the request body)
// and becomes a bare 500.
function errorHandler(err, req, res, _next) {
  if (res.headersSent) return req.socket.destroy();
  if (err instanceof HttpError) return sendProblem(res, err.status, err.detail, err.headers, err.type);
  if (err.type === 'entity.parse.failed') return sendProblem(res, 400, 'The request body is not valid JSON.');
  if (err.type === 'entity.too.large') return sendProblem(res, 413, 'The request body is too large.');
  if (err instanceof URIError) return sendProblem(res, 404);
  if (Number.isInteger(err.status) && err.status >= 400 && err.status < 500)
    return sendProblem(res, err.status);
  console.error(`${req.method} ${req.path} failed: ${err.code || ''} ${err.message}`);
  return sendProblem(res, 500, 'The request could not be completed.');
}

module.exports = {
  HttpError,
  unauthorized,
  forbidden,
  notFound,
  conflict,
  invalid,
  sendProblem,
  errorHandler,
};
