/**
 * Builds the web app into web/dist: src/main.tsx bundled by esbuild (JSX for Preact, minified, ES2022,
 * source maps) into dist/assets/app.js and app.css, and index.html copied. The API serves dist under /app
 * (api/routes/web-app.routes.ts). Run by `npm run build:web` and scripts/setup-host.sh.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

/** The web app's folder (sources in src/, the page in index.html). */
export const WEB_DIR = path.resolve(__dirname, '..', 'web');

/** Builds the app into `outDir` (default web/dist); resolves when written, rejects on a build error. */
export async function buildWebApp(outDir: string = path.join(WEB_DIR, 'dist')): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(path.join(outDir, 'assets'), { recursive: true });
  await build({
    entryPoints: {
      app: path.join(WEB_DIR, 'src', 'main.tsx'),
      'app-style': path.join(WEB_DIR, 'src', 'styles.css'),
    },
    outdir: path.join(outDir, 'assets'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  await copyFile(path.join(WEB_DIR, 'index.html'), path.join(outDir, 'index.html'));
}

if (require.main === module) {
  buildWebApp().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
