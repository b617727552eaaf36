import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { AppError } from '../contract/app-error';
import { dockerCliEnv } from '../sandbox/docker';
import type { Logger } from '../lib/logger';

/** The base every sandbox image starts from (docs/architecture.md, "Images"). */
export const BASE_IMAGE = 'debian:bookworm-slim';

/** Runs a command, resolving on exit 0; rejects with the tail of its output otherwise. */
export function run(
  cmd: string,
  args: string[],
  opts: { input?: NodeJS.ReadableStream; cwd?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      // The docker CLI drives the runner's engine (DOCKER_SOCKET or DOCKER_HOST), never another one.
      env: cmd === 'docker' ? dockerCliEnv() : process.env,
      stdio: [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (d: Buffer): void => {
      out = (out + d.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (opts.input && child.stdin) opts.input.pipe(child.stdin);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${out.slice(-2000)}`)),
    );
  });
}

/** Image id of `ref`, or undefined when the engine does not have it. */
export async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `debian:bookworm-slim` exists: when it is missing (no registry here), creates it with
 * `debootstrap --variant=minbase bookworm` into a temporary folder and `docker import` (about 25 s, 200 MB).
 * Returns its image id. Throws AppError IMAGE_BUILD_FAILED (retryable) when debootstrap or import fails.
 */
export async function ensureBaseImage(docker: Docker, log: Logger): Promise<string> {
  const existing = await imageId(docker, BASE_IMAGE);
  if (existing) return existing;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stackgrade-debootstrap-'));
  const rootfs = path.join(dir, 'rootfs');
  try {
    log.info({ rootfs }, 'creating debian:bookworm-slim with debootstrap');
    await run('debootstrap', ['--variant=minbase', 'bookworm', rootfs]);
    const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await run('docker', ['import', '-', BASE_IMAGE], { input: tar.stdout });
  } catch (err) {
    throw new AppError('IMAGE_BUILD_FAILED', `could not create ${BASE_IMAGE}: ${String(err)}`, {
      retryable: true,
      cause: err,
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  const id = await imageId(docker, BASE_IMAGE);
  if (!id) throw new AppError('IMAGE_BUILD_FAILED', `${BASE_IMAGE} missing after import`);
  return id;
}
