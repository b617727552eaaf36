import path from 'node:path';
import type Docker from 'dockerode';
import type { LoadedChallenge } from '../contract/challenge-catalog';
import type { Logger } from '../lib/logger';
import { REPO_ROOT, stackgradeHome } from '../lib/paths';
import { ensureBaseImage } from './base-image';
import { buildImage, withContext } from './build-image';
import { ensureEngineImages, serviceImage, type EngineImages } from './engine-images';
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
  /** Base image of each database engine. */
  engines: EngineImages;
  challenges: Map<string, ChallengeImages>;
}

const SANDBOX_IMAGES = path.join(REPO_ROOT, 'sandbox-images');

/**
 * Makes sure every image exists, building only what changed (content-hash tags), in dependency order:
 * debian:bookworm-slim → the runtimes (node22, python3, go) and the engines' base images → each challenge's
 * database images and grader.
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
  const engines = await ensureEngineImages(docker, { baseId, node22 }, log);
  const set: ImageSet = { base: 'debian:bookworm-slim', node22, runtimes, engines, challenges: new Map() };
  for (const ch of challenges) {
    const services: Record<string, string> = {};
    for (const svc of ch.manifest.services)
      services[svc.name] = await serviceImage(docker, engines, { id: ch.manifest.id, dir: ch.dir }, svc, log);
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
