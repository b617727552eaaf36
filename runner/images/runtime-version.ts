import fs from 'node:fs/promises';
import path from 'node:path';
import type { RuntimeId } from '../contract/runtime-selection';
import { RUNTIMES } from '../runtimes/registry';
import { run } from './base-image';

/**
 * The version of a runtime in its image (`22.23.3`, `3.11.2`, `go1.25.14`): its version command's output,
 * run once per image tag without network and cached in `<cacheDir>/<tag>` (tags are content hashes, so
 * the file never goes stale). Throws when the image cannot run it.
 */
export async function runtimeVersion(id: RuntimeId, image: string, cacheDir: string): Promise<string> {
  const file = path.join(cacheDir, image.replace(/[^\w.-]/g, '_'));
  const cached = await fs.readFile(file, 'utf8').catch(() => null);
  if (cached?.trim()) return cached.trim();
  const out = await run('docker', [
    'run',
    '--rm',
    '--network',
    'none',
    '--user',
    '10001:10001',
    image,
    ...RUNTIMES[id].versionCommand,
  ]);
  const version = out.trim().split('\n').pop()!.trim();
  await fs.mkdir(cacheDir, { recursive: true });
  await fs.writeFile(file, `${version}\n`);
  return version;
}
