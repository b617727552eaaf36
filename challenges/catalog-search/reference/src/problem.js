// RFC 9457 problem documents: every error the service answers, with a stable `type`.
class HttpProblem extends Error {
  constructor(status, type, title, detail, headers = {}) {
    super(detail ?? title);
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.headers = headers;
  }
}

const badRequest = (detail) =>
  new HttpProblem(400, 'https://catalog.example/problems/validation', 'Bad Request', detail);
const notFound = (detail) =>
  new HttpProblem(404, 'https://catalog.example/problems/not-found', 'Not Found', detail);
const unauthorized = () =>
  new HttpProblem(
    401,
    'https://catalog.example/problems/unauthorized',
    'Unauthorized',
    'A valid X-API-Key is required.',
  );
const forbidden = () =>
  new HttpProblem(
    403,
    'https://catalog.example/problems/forbidden',
    'Forbidden',
    'This API key may not change products.',
  );

function sendProblem(res, p) {
  const body = { type: p.type, title: p.title, status: p.status };
  if (p.detail) body.detail = p.detail;
  res.writeHead(p.status, { ...p.headers, 'content-type': 'application/problem+json' });
  res.end(JSON.stringify(body));
}

module.exports = { HttpProblem, badRequest, notFound, unauthorized, forbidden, sendProblem };
