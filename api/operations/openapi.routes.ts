import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { methodNotAllowed } from '../middleware/error-handler';
import { buildOpenApiDocument } from '../openapi/document';

/** Redoc's standalone bundle, from the `redoc` npm package (served by the API: no CDN). */
const REDOC_BUNDLE = require.resolve('redoc/bundles/redoc.standalone.js');

/**
 * CSP of the docs page (CSP Level 3): scripts only from this origin (the page has no inline script; Redoc
 * starts from its `<redoc spec-url>` element), inline styles (Redoc's styled-components inject them), its
 * search worker from a `blob:` URL, nothing framing it.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  'worker-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stackgrade API reference</title>
</head>
<body>
<redoc spec-url="/v1/openapi.json"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
`;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}

/**
 * `GET /v1/openapi.json` (the OpenAPI 3.1 document, built once from the zod schemas) and `GET /docs` (its
 * reference page, Redoc's standalone bundle served from node_modules at `/docs/redoc.standalone.js`).
 */
export function openApiRouter(): Router {
  const router = Router();
  const document = JSON.stringify(buildOpenApiDocument(packageVersion()));
  const bundle = readFileSync(REDOC_BUNDLE);
  router
    .route('/v1/openapi.json')
    .get((_req, res) => {
      res.type('application/json').set('Cache-Control', 'no-cache').send(document);
    })
    .all(methodNotAllowed('GET'));
  router
    .route('/docs')
    .get((_req, res) => {
      res
        .set({ 'Content-Security-Policy': DOCS_CSP, 'Cache-Control': 'no-cache' })
        .type('html')
        .send(DOCS_HTML);
    })
    .all(methodNotAllowed('GET'));
  router
    .route('/docs/redoc.standalone.js')
    .get((_req, res) => {
      res.type('text/javascript').set('Cache-Control', 'public, max-age=3600').send(bundle);
    })
    .all(methodNotAllowed('GET'));
  return router;
}
