import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { AppError } from '../../runner/contract/app-error';
import { verifyEmbedToken } from '../domain/embed-token';

/** Default folder of the built web app (`npm run build:web` writes it). */
export const DEFAULT_WEB_DIST_DIR = path.resolve(__dirname, '..', '..', 'web', 'dist');

/**
 * Content-Security-Policy of every page (CSP Level 3): scripts, styles, fetches and images from this origin
 * only, no inline script or style, no plugins, no `<base>`; `frameAncestors` is `'none'` except for an embed
 * page, which its token's host origin may frame.
 */
export function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/**
 * Serves the web app: its built assets under `/app/assets/`, and its one HTML page for every other `/app`
 * path (the app routes in the browser); `/` redirects to `/app/`. Each page carries
 * {@link contentSecurityPolicy} and `Referrer-Policy: no-referrer`; `/app/embed?token=` may be framed by
 * the origin its valid embed token names. The page is read once; a missing build is a 503
 * `WEB_APP_UNAVAILABLE` problem naming the command that makes it.
 *
 * @param embedSecret - the key embed tokens are signed with.
 * @param maxUploadBytes - the upload limit the page checks before an upload, bytes.
 */
export function webAppRouter(distDir: string, embedSecret: string, maxUploadBytes: number): Router {
  const router = Router();
  let page: Promise<string> | null = null;
  const readPage = (): Promise<string> => {
    page ??= readFile(path.join(distDir, 'index.html'), 'utf8').then((html) =>
      html.replace('__SG_MAX_UPLOAD_BYTES__', String(maxUploadBytes)),
    );
    page.catch(() => (page = null));
    return page;
  };
  const sendPage = async (res: Response, frameAncestors: string): Promise<void> => {
    const html = await readPage().catch((cause: unknown) => {
      throw new AppError('WEB_APP_UNAVAILABLE', 'the web app is not built; run `npm run build:web`', {
        cause,
      });
    });
    res
      .status(200)
      .set({
        'Content-Security-Policy': contentSecurityPolicy(frameAncestors),
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      })
      .type('html')
      .send(html);
  };

  router.get('/', (_req, res) => res.redirect(302, '/app/'));
  router.use(
    '/app/assets',
    express.static(path.join(distDir, 'assets'), { index: false, fallthrough: false, maxAge: '1h' }),
  );
  router.get('/app/embed', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const grant = token ? verifyEmbedToken(token, embedSecret) : null;
    await sendPage(res, grant ? grant.parent_origin : "'none'");
  });
  router.get(['/app', '/app/{*rest}'], async (_req, res) => {
    await sendPage(res, "'none'");
  });
  return router;
}
