import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import type { LoadedChallenge } from '../contract/challenge-catalog';
import type { Logger } from '../lib/logger';
import { REPO_ROOT, stackgradeHome } from '../lib/paths';
import { ensureBaseImage } from './base-image';
import { buildImage, listFiles, type BuildContext } from './build-image';
import { bundleGrader } from './grader-bundle';
import { nodeArtifacts } from './npm-artifacts';
import { goToolchainZip } from './go-toolchain';
import { RUNTIME_IDS, type RuntimeId } from '../contract/runtime-selection';
import { RUNTIMES } from '../runtimes/registry';

/** Tags of the images one challenge needs: its database services by name, and its grader. */
export interface ChallengeImages {
  services: Record<string, string>;
  grader: string;
}

/** Every image tag the runner uses: the candidate runtimes, the net-owner base, and per challenge. */
export interface ImageSet {
  base: string;
  /** The node22 runtime's image (also the base of every grader image). */
  node22: string;
  /** The image of each candidate runtime (runner/runtimes/). */
  runtimes: Record<RuntimeId, string>;
  postgres15: string;
  challenges: Map<string, ChallengeImages>;
}

const SANDBOX_IMAGES = path.join(REPO_ROOT, 'sandbox-images');

async function withContext<T>(
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

/**
 * Makes sure every image exists, building only what changed (content-hash tags), in dependency order:
 * debian:bookworm-slim → the runtimes (node22, python3, go) and postgres15 → each challenge's database images and grader.
 * Throws AppError IMAGE_BUILD_FAILED when a build fails.
 */
export async function ensureImages(
  docker: Docker,
  challenges: readonly LoadedChallenge[],
  log: Logger,
): Promise<ImageSet> {
  const baseId = await ensureBaseImage(docker, log);
  const artifacts = await nodeArtifacts(path.join(stackgradeHome(), 'cache', 'npm-artifacts'));
  const node22 = await withContext(
    path.join(SANDBOX_IMAGES, 'node22'),
    { 'node.tgz': artifacts.node, 'npm.tgz': artifacts.npm },
    (context) =>
      buildImage(
        docker,
        { repository: 'stackgrade/node22', context, buildArgs: {}, hashInputs: [baseId] },
        log,
      ),
  );
  const goZip = await goToolchainZip(path.join(stackgradeHome(), 'cache', 'go-toolchain'));
  const runtimes: Record<RuntimeId, string> = { node22, python3: '', go: '' };
  for (const id of RUNTIME_IDS.filter((r) => r !== 'node22')) {
    runtimes[id] = await withContext(
      path.join(SANDBOX_IMAGES, RUNTIMES[id].imageDir),
      id === 'go' ? { 'go.zip': goZip } : {},
      (context) =>
        buildImage(
          docker,
          { repository: `stackgrade/${id}`, context, buildArgs: {}, hashInputs: [baseId] },
          log,
        ),
    );
  }
  const postgres15 = await withContext(path.join(SANDBOX_IMAGES, 'postgres15'), {}, (context) =>
    buildImage(
      docker,
      { repository: 'stackgrade/postgres15', context, buildArgs: {}, hashInputs: [baseId] },
      log,
    ),
  );
  const set: ImageSet = {
    base: 'debian:bookworm-slim',
    node22,
    runtimes,
    postgres15,
    challenges: new Map(),
  };
  for (const ch of challenges) {
    const services: Record<string, string> = {};
    for (const svc of ch.manifest.services) {
      services[svc.name] = await withContext(path.join(ch.dir, svc.image), {}, (context) =>
        buildImage(
          docker,
          {
            repository: `stackgrade/${ch.manifest.id}-${svc.name}`,
            context,
            buildArgs: { BASE_IMAGE: postgres15, DB_NAME: svc.database, CANDIDATE_ROLE: svc.candidate_role },
          },
          log,
        ),
      );
    }
    const grader = await withContext(
      path.join(SANDBOX_IMAGES, 'grader'),
      { 'grader.js': (target) => bundleGrader(ch.dir, target) },
      (context) =>
        buildImage(
          docker,
          { repository: `stackgrade/${ch.manifest.id}-grader`, context, buildArgs: { BASE_IMAGE: node22 } },
          log,
        ),
    );
    set.challenges.set(ch.manifest.id, { services, grader });
  }
  return set;
}
