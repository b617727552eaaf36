/**
 * How the API serves the web app: the page under every /app path with its Content-Security-Policy (no
 * inline script or style, no framing except an embed page for its token's origin), the built assets, and a
 * clear 503 problem when the app is not built. The real app on the real store; the app is built by esbuild
 * into a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { signEmbedToken } from '../../../api/domain/embed-token';
import { problemType } from '../../../runner/contract/error-codes';
import { buildWebApp } from '../../../scripts/build-web';
import { CHALLENGE_ID, startHarness, TEST_MAX_UPLOAD_BYTES, type Harness } from './support';

const SECRET = 'web-app-serving-test-secret-0123456789';

describe('the web app as the API serves it', () => {
  let tmp: string;
  let h: Harness;
  let unbuilt: Harness;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sg-web-serving-'));
    await buildWebApp(path.join(tmp, 'dist'));
    h = await startHarness({ webSecret: SECRET, webDistDir: path.join(tmp, 'dist') });
    unbuilt = await startHarness({ webDistDir: path.join(tmp, 'no-such-build') });
  });

  afterAll(async () => {
    await h?.close();
    await unbuilt?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const directives = (csp: string): Map<string, string> =>
    new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values.join(' ')];
      }),
    );

  it.each(['/app/', '/app/challenges/x', '/app/invites/sgi_abc', '/app/assessment', '/app/review'])(
    'GET %s: the page, with a CSP without inline script or style, never framed, no referrer',
    async (url) => {
      const res = await request(h.app).get(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const csp = directives(res.headers['content-security-policy']!);
      expect(csp.get('script-src')).toBe("'self'");
      expect(csp.get('style-src')).toBe("'self'");
      expect(csp.get('frame-ancestors')).toBe("'none'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      // The upload limit the page checks before an upload is the server's.
      expect(res.text).toContain(`content="${TEST_MAX_UPLOAD_BYTES}"`);
      expect(res.text).not.toContain('<script>');
    },
  );

  it('serves the built script, and / redirects to the app', async () => {
    const js = await request(h.app).get('/app/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    const root = await request(h.app).get('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/app/');
  });

  it("lets only a valid embed token's origin frame the embed page", async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = signEmbedToken(
      { challenge_id: CHALLENGE_ID, parent_origin: 'https://jobs.example.com', exp },
      SECRET,
    );
    const framed = await request(h.app).get('/app/embed').query({ token });
    expect(directives(framed.headers['content-security-policy']!).get('frame-ancestors')).toBe(
      'https://jobs.example.com',
    );
    const forged = signEmbedToken(
      { challenge_id: CHALLENGE_ID, parent_origin: 'https://evil.example', exp },
      'another-secret-of-at-least-32-characters',
    );
    for (const t of [forged, `${token}x`, '']) {
      const res = await request(h.app).get('/app/embed').query({ token: t });
      expect(directives(res.headers['content-security-policy']!).get('frame-ancestors')).toBe("'none'");
    }
    const expired = signEmbedToken(
      { challenge_id: CHALLENGE_ID, parent_origin: 'https://jobs.example.com', exp: exp - 1200 },
      SECRET,
    );
    const late = await request(h.app).get('/app/embed').query({ token: expired });
    expect(directives(late.headers['content-security-policy']!).get('frame-ancestors')).toBe("'none'");
  });

  it('answers 503 WEB_APP_UNAVAILABLE, naming the build command, when the app is not built', async () => {
    const res = await request(unbuilt.app).get('/app/');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe(problemType('WEB_APP_UNAVAILABLE'));
    expect(res.body.detail).toContain('npm run build:web');
  });
});
