// Routing: every path, its methods (405 with Allow otherwise), and errors as problem+json.
const { apiKeyOf, requireEditor } = require('./auth');
const { rateLimit } = require('./rate-limit');
const { search, facets } = require('./search');
const { detail, update, topRated } = require('./products');
const { HttpProblem, badRequest, notFound, sendProblem } = require('./problem');

const MAX_BODY = 16 * 1024;

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY) throw badRequest('The body is too large.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The body is not JSON.');
  }
}

const ROUTES = [
  { path: /^\/health$/, methods: { GET: async () => ({ status: 'ok' }) } },
  {
    path: /^\/products$/,
    methods: {
      GET: async (req, res, url) => {
        await rateLimit(await apiKeyOf(req), res);
        return search(url);
      },
    },
  },
  {
    path: /^\/products\/facets$/,
    methods: {
      GET: async (req, res, url) => {
        await apiKeyOf(req);
        return facets(url);
      },
    },
  },
  {
    path: /^\/products\/([^/]+)$/,
    methods: {
      GET: async (req, res, url, [id]) => {
        await apiKeyOf(req);
        return detail(id);
      },
      PATCH: async (req, res, url, [id]) => {
        await requireEditor(req);
        return update(id, await readJson(req));
      },
    },
  },
  {
    path: /^\/categories\/([^/]+)\/top-rated$/,
    methods: {
      GET: async (req, res, url, [category]) => {
        await apiKeyOf(req);
        return topRated(decodeURIComponent(category), url);
      },
    },
  },
];

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  for (const route of ROUTES) {
    const m = route.path.exec(url.pathname);
    if (!m) continue;
    const fn = route.methods[req.method];
    if (!fn) {
      const allow = Object.keys(route.methods).join(', ');
      throw new HttpProblem(
        405,
        'https://catalog.example/problems/method-not-allowed',
        'Method Not Allowed',
        undefined,
        { Allow: allow },
      );
    }
    return sendJson(res, 200, await fn(req, res, url, m.slice(1)));
  }
  throw notFound(`No route ${url.pathname}.`);
}

function app(req, res) {
  handle(req, res).catch((err) => {
    if (err instanceof HttpProblem) return sendProblem(res, err);
    console.error(err);
    sendProblem(
      res,
      new HttpProblem(500, 'https://catalog.example/problems/internal', 'Internal Server Error'),
    );
  });
}

module.exports = { app };
