import { compileErrors, validate } from '@readme/openapi-parser';
import type { Express } from 'express';
import request from 'supertest';
import { toOpenApiPath } from '../../../api/openapi/document';
import { DOCS_CSP } from '../../../api/operations/openapi.routes';
import { startHarness, type Harness } from './support';

/** One layer of an Express 5 router stack (the fields this walk reads). */
interface Layer {
  rawPath?: string;
  slash?: boolean;
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every `METHOD path` the app's routers register, mount prefixes included (Express 5 internals). */
function registeredRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths)
          for (const m of Object.keys(layer.route.methods).filter((k) => k !== '_all'))
            out.push(`${m.toUpperCase()} ${prefix}${p}`);
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, layer.slash ? prefix : `${prefix}${layer.rawPath ?? ''}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out;
}

/** The web app's HTML pages (docs/web.md): a browser UI, not part of the HTTP API. */
const WEB_PAGES = new Set(['GET /', 'GET /app', 'GET /app/embed', 'GET /app/{*rest}']);

describe('OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ operations: { adminKey: 'k'.repeat(40) } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is valid OpenAPI 3.1 per @readme/openapi-parser', async () => {
    const res = await request(h.app).get('/v1/openapi.json').expect(200).expect('Content-Type', /json/);
    expect(res.body.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(res.body));
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result.valid).toBe(true);
  });

  it('describes every route the Express app registers, with problem+json errors', async () => {
    const doc = (await request(h.app).get('/v1/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
    };
    const routes = registeredRoutes(h.app).filter((r) => !WEB_PAGES.has(r));
    expect(routes).toContain('GET /v1/assessments/:id/results.csv');
    expect(routes).toContain('GET /metrics');
    const missing = routes.filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      // Bull Board's own pages and JSON API below /admin/queues are one operator route in the document.
      const documented = path.startsWith('/admin/queues') ? '/admin/queues' : toOpenApiPath(path);
      return doc.paths[documented]?.[method.toLowerCase()] === undefined;
    });
    expect(missing).toEqual([]);
    const csv = doc.paths['/v1/assessments/{id}/results.csv']?.get?.responses;
    expect(Object.keys(csv ?? {})).toEqual(expect.arrayContaining(['200', '401', '403', '404', '429']));
    expect(csv?.['404']?.content).toHaveProperty(['application/problem+json']);
  });

  it('serves the reference page with the packaged Redoc bundle under a strict CSP', async () => {
    const page = await request(h.app).get('/docs').expect(200).expect('Content-Type', /html/);
    expect(page.headers['content-security-policy']).toBe(DOCS_CSP);
    expect(page.text).toContain('<script src="/docs/redoc.standalone.js"></script>');
    expect(page.text).not.toMatch(/https?:\/\//);
    const bundle = await request(h.app).get('/docs/redoc.standalone.js').expect(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(Number(bundle.headers['content-length'])).toBeGreaterThan(500_000);
  });
});
