import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { build } from 'esbuild';
import { AppError } from '../contract/app-error';
import type { ServiceDefinition, ServiceKind } from '../contract/challenge-manifest.schema';
import type { Logger } from '../lib/logger';
import { REPO_ROOT, stackgradeHome } from '../lib/paths';
import { buildImage, withContext } from './build-image';

/** FerretDB release built by set-up (scripts/setup-host.sh) from its Go module: the last 1.x line. */
export const FERRETDB_VERSION = 'v1.24.2';

/** The FerretDB binary set-up built, `$STACKGRADE_HOME/bin/ferretdb-<version>`. */
export function ferretdbBinary(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stackgradeHome(env), 'bin', `ferretdb-${FERRETDB_VERSION}`);
}

/** Tags of the engines' base images, by kind. */
export type EngineImages = Record<ServiceKind, string>;

const SANDBOX_IMAGES = path.join(REPO_ROOT, 'sandbox-images');

/** Bundles the MongoDB image's seed runner with the official driver into one CommonJS file. */
async function bundleSeedRunner(outFile: string): Promise<void> {
  await build({
    entryPoints: [path.join(__dirname, 'mongo-seed-runner.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'silent',
    // The driver's optional peers (compression, Kerberos, client-side encryption) are never used.
    external: [
      'kerberos',
      '@mongodb-js/zstd',
      '@aws-sdk/credential-providers',
      'gcp-metadata',
      'snappy',
      'socks',
      'aws4',
      'mongodb-client-encryption',
    ],
  });
}

/**
 * Builds (when their context changed) the base image of every engine: `stackgrade/postgres15`,
 * `stackgrade/redis7` and `stackgrade/mongodb` (FerretDB + its PostgreSQL store, Node.js from `node22` for
 * seed scripts). `baseId` is debian:bookworm-slim's image id. Throws AppError IMAGE_BUILD_FAILED, also when
 * set-up has not built FerretDB.
 */
export async function ensureEngineImages(
  docker: Docker,
  o: { baseId: string; node22: string },
  log: Logger,
): Promise<EngineImages> {
  const base = (name: string, repository: string, extras = {}, buildArgs: Record<string, string> = {}) =>
    withContext(path.join(SANDBOX_IMAGES, name), extras, (context) =>
      buildImage(docker, { repository, context, buildArgs, hashInputs: [o.baseId] }, log),
    );
  const postgres = await base('postgres15', 'stackgrade/postgres15');
  const redis = await base('redis7', 'stackgrade/redis7');
  const ferretdb = ferretdbBinary();
  if (!(await fs.stat(ferretdb).catch(() => null)))
    throw new AppError(
      'IMAGE_BUILD_FAILED',
      `the MongoDB image needs FerretDB ${FERRETDB_VERSION} at ${ferretdb}: run \`npm run setup\` first`,
    );
  const mongodb = await base(
    'mongodb',
    'stackgrade/mongodb',
    { ferretdb, 'seed-runner.js': bundleSeedRunner },
    { BASE_IMAGE: postgres, NODE_IMAGE: o.node22 },
  );
  return { postgres, redis, mongodb };
}

/**
 * The image of one service of a challenge: its `image` recipe built FROM its engine's base image (a seeded
 * database), or the base image itself when the service has no recipe. Build args: `BASE_IMAGE`, and
 * `DB_NAME`/`CANDIDATE_ROLE` where the engine seeds a named database. Throws AppError IMAGE_BUILD_FAILED.
 */
export async function serviceImage(
  docker: Docker,
  engines: EngineImages,
  challenge: { id: string; dir: string },
  svc: ServiceDefinition,
  log: Logger,
): Promise<string> {
  if (!svc.image) return engines[svc.kind];
  const buildArgs: Record<string, string> = { BASE_IMAGE: engines[svc.kind] };
  if (svc.kind === 'postgres')
    Object.assign(buildArgs, { DB_NAME: svc.database, CANDIDATE_ROLE: svc.candidate_role });
  if (svc.kind === 'mongodb') buildArgs.DB_NAME = svc.database;
  return withContext(path.join(challenge.dir, svc.image), {}, (context) =>
    buildImage(docker, { repository: `stackgrade/${challenge.id}-${svc.name}`, context, buildArgs }, log),
  );
}
