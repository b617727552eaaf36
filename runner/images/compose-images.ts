import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { AppError } from '../contract/app-error';
import { ChallengeCatalog, DEFAULT_CHALLENGES_DIR } from '../contract/challenge-catalog';
import type { Logger } from '../lib/logger';
import { REPO_ROOT } from '../lib/paths';
import { run } from './base-image';
import { buildImage, withContext } from './build-image';
import { ferretdbBinary } from './engine-images';
import { ensureImages } from './image-set';

/** Tags of the images docker-compose.yml runs, all built on this machine from hash-tagged contexts. */
export interface ComposeImages {
  /** `stackgrade/platform:<hash>`: the API and the runner (sandbox-images/platform). */
  platform: string;
  /** `stackgrade/ferretdb:<hash>`: the submission store (sandbox-images/ferretdb). */
  ferretdb: string;
  /** `stackgrade/redis7:<hash>`: Debian's redis-server, the same image pods' Redis services start from. */
  redis: string;
}

/** What of the repository goes into the platform image (as `app/`); node_modules and web/dist never do. */
const PLATFORM_SOURCES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'api',
  'runner',
  'grader',
  'challenges',
  'sandbox-images',
  'web',
  'scripts',
];

/** Never copied: installed packages (the image runs `npm ci`) and build output (the image builds the web app). */
function skipped(src: string): boolean {
  const name = path.basename(src);
  return name === 'node_modules' || name === '.cache' || src === path.join(REPO_ROOT, 'web', 'dist');
}

/** The file a command is found at on PATH; throws AppError IMAGE_BUILD_FAILED when there is none. */
async function onPath(command: string): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, command);
    if (
      await fs.access(file, fs.constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return file;
  }
  throw new AppError('IMAGE_BUILD_FAILED', `the platform image needs the \`${command}\` client on PATH`);
}

/** The fields of package.json `npm ci` depends on; the rest (scripts, description) may change freely. */
const INSTALL_FIELDS = [
  'name',
  'version',
  'private',
  'engines',
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'overrides',
];

/** Writes package.json reduced to INSTALL_FIELDS at `target` (the platform image's cached `npm ci` layer). */
async function writeInstallManifest(target: string): Promise<void> {
  const pkg = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const kept = Object.fromEntries(INSTALL_FIELDS.filter((k) => k in pkg).map((k) => [k, pkg[k]]));
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, `${JSON.stringify(kept, null, 2)}\n`);
}

/** Copies the repository's sources (PLATFORM_SOURCES, without build output) into `target`. */
async function copySources(target: string): Promise<void> {
  for (const entry of PLATFORM_SOURCES)
    await fs.cp(path.join(REPO_ROOT, entry), path.join(target, entry), {
      recursive: true,
      filter: (src) => !skipped(src),
    });
}

/**
 * Builds (when their context changed) the images of docker-compose.yml, after every sandbox image of the
 * repository's catalog (ensureImages: the platform image starts FROM the node22 image and takes Go from the
 * go image). `progress` gets one readable line per step, with its duration in seconds. The npm registry of
 * the platform image's `npm ci` is the host's (`npm config get registry`); the CA bundle it trusts is
 * INSTALL_CA_FILE or NODE_EXTRA_CA_CERTS when set. Throws AppError IMAGE_BUILD_FAILED when a build fails,
 * also when set-up has not built FerretDB or no `docker` client is on PATH.
 */
export async function ensureComposeImages(
  docker: Docker,
  log: Logger,
  progress: (line: string) => void = () => undefined,
): Promise<ComposeImages> {
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    progress(`${what} …`);
    const out = await fn();
    progress(
      `${what}: ${typeof out === 'string' ? out : 'done'} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    return out;
  };
  const catalog = await ChallengeCatalog.load(DEFAULT_CHALLENGES_DIR);
  const set = await step('sandbox images (debian:bookworm-slim, runtimes, engines, graders)', () =>
    ensureImages(
      docker,
      catalog.list().map((c) => catalog.get(c.id)!),
      log,
    ),
  );
  const ferretdb = await step('FerretDB image', () =>
    withContext(
      path.join(REPO_ROOT, 'sandbox-images', 'ferretdb'),
      { ferretdb: ferretdbBinary() },
      (context) => buildImage(docker, { repository: 'stackgrade/ferretdb', context, buildArgs: {} }, log),
    ),
  );
  const registry = (await run('npm', ['config', 'get', 'registry'])).trim().split('\n').pop()!.trim();
  const caFile = process.env.INSTALL_CA_FILE ?? process.env.NODE_EXTRA_CA_CERTS;
  const dockerClient = await onPath('docker');
  const platform = await step('platform image (API and runner; npm ci on a cold build, a few minutes)', () =>
    withContext(
      path.join(REPO_ROOT, 'sandbox-images', 'platform'),
      {
        docker: dockerClient,
        'ca.crt': (target) => (caFile ? fs.copyFile(caFile, target) : fs.writeFile(target, '')),
        app: copySources,
        'deps/package.json': writeInstallManifest,
      },
      (context) =>
        buildImage(
          docker,
          {
            repository: 'stackgrade/platform',
            context,
            buildArgs: { BASE_IMAGE: set.node22, GO_IMAGE: set.runtimes.go, NPM_REGISTRY: registry },
          },
          log,
        ),
    ),
  );
  return { platform, ferretdb, redis: set.engines.redis };
}

/**
 * The variables docker-compose.yml reads its image tags from, as `NAME=value` lines (a `--env-file`, or
 * `export` in a shell).
 */
export function composeImageEnv(images: ComposeImages): Record<string, string> {
  return {
    STACKGRADE_PLATFORM_IMAGE: images.platform,
    STACKGRADE_FERRETDB_IMAGE: images.ferretdb,
    STACKGRADE_REDIS_IMAGE: images.redis,
  };
}
