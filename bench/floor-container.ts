import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Image of the trivial container: a local image, never pulled. */
export const FLOOR_CONTAINER_IMAGE = 'debian:bookworm-slim';

/**
 * Wall time of `docker run --rm debian:bookworm-slim true` through the Docker CLI, ms: the least any
 * container costs on this engine (create, start, exit, remove). Throws when the CLI fails.
 */
export async function measureFloorContainer(): Promise<number> {
  const t0 = performance.now();
  await exec('docker', ['run', '--rm', '--network', 'none', FLOOR_CONTAINER_IMAGE, 'true']);
  return performance.now() - t0;
}
