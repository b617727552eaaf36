import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { AppError } from '../contract/app-error';
import type { Logger } from '../lib/logger';
import os from 'node:os';
import { imageId } from './base-image';

/** A build context assembled on disk: the folder and every file in it (relative POSIX paths). */
export interface BuildContext {
  dir: string;
  files: string[];
}

/** What to build: a repository name, a prepared context, build args (the parent image goes in as `BASE_IMAGE`). */
export interface ImageBuildOptions {
  /** Repository part of the tag, e.g. `stackgrade/node22`. */
  repository: string;
  context: BuildContext;
  buildArgs: Record<string, string>;
  /** More inputs of the hash that are not files, e.g. the parent image's id. */
  hashInputs?: string[];
  /** Build every step again, ignoring the engine's layer cache (for timing a build; default false). */
  noCache?: boolean;
}

/** Lists the regular files under `dir`, sorted, as relative POSIX paths. */
export async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

/**
 * Content hash of a build: sha256 over the build args and every file's path, mode and bytes. Images are
 * tagged with its first 16 hex digits, so an unchanged context is never rebuilt (docs/architecture.md,
 * "Images").
 */
export async function contextHash(opts: ImageBuildOptions): Promise<string> {
  const h = crypto.createHash('sha256');
  for (const [k, v] of Object.entries(opts.buildArgs).sort()) h.update(`arg ${k}=${v}\n`);
  for (const extra of opts.hashInputs ?? []) h.update(`input ${extra}\n`);
  for (const f of opts.context.files) {
    const p = path.join(opts.context.dir, f);
    const st = await fs.stat(p);
    h.update(`file ${f} ${st.mode & 0o111 ? 'x' : '-'} ${st.size}\n`);
    h.update(await fs.readFile(p));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Builds the image unless a tag with the same content hash exists; returns the tag
 * (`<repository>:<hash>`). Uses the engine's build API through dockerode. Throws AppError
 * IMAGE_BUILD_FAILED with the tail of the build output when a step fails.
 */
export async function buildImage(docker: Docker, opts: ImageBuildOptions, log: Logger): Promise<string> {
  const tag = `${opts.repository}:${await contextHash(opts)}`;
  if (await imageId(docker, tag)) {
    log.debug({ tag }, 'image up to date');
    return tag;
  }
  const started = Date.now();
  log.info({ tag }, 'building image');
  const stream = await docker.buildImage(
    { context: opts.context.dir, src: opts.context.files },
    { t: tag, buildargs: opts.buildArgs, rm: true, forcerm: true, nocache: opts.noCache ?? false },
  );
  const tail: string[] = [];
  const failure = await new Promise<string | undefined>((resolve) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => resolve(err ? String(err) : undefined),
      (ev: { stream?: string; error?: string }) => {
        const line = ev.error ?? ev.stream;
        if (line) {
          tail.push(line.trimEnd());
          if (tail.length > 60) tail.shift();
          if (process.env.STACKGRADE_BUILD_VERBOSE) process.stderr.write(line);
        }
        if (ev.error) resolve(ev.error);
      },
    );
  });
  if (failure || !(await imageId(docker, tag))) {
    throw new AppError(
      'IMAGE_BUILD_FAILED',
      `building ${tag} failed: ${failure ?? 'no image'}\n${tail.join('\n')}`,
    );
  }
  const latest = `${opts.repository}:latest`;
  await docker.getImage(tag).tag({ repo: opts.repository, tag: 'latest' });
  log.info({ tag, also: latest, ms: Date.now() - started }, 'built image');
  return tag;
}

/**
 * Runs `fn` on a build context assembled in a temporary folder: a copy of `sourceDir` (if any) plus `extras`
 * (a file copied from a host path, or one a function writes), removed afterwards.
 */
export async function withContext<T>(
  sourceDir: string | undefined,
  extras: Record<string, string | ((target: string) => Promise<void>)>,
  fn: (ctx: BuildContext) => Promise<T>,
): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stackgrade-ctx-'));
  try {
    if (sourceDir) await fs.cp(sourceDir, dir, { recursive: true });
    for (const [name, src] of Object.entries(extras)) {
      const target = path.join(dir, name);
      if (typeof src === 'string') await fs.copyFile(src, target);
      else await src(target);
    }
    return await fn({ dir, files: await listFiles(dir) });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
