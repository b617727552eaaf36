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

/** Tags of the images one challenge needs: its database services by name, and its grader. */
export interface ChallengeImages {
  services: Record<string, string>;
  grader: string;
}

/** Every image tag the runner uses: the candidate runtime, the net-owner base, and per challenge. */
export interface ImageSet {
  base: string;
  node22: string;
  /** Base image of each database engine. */
  engines: EngineImages;
  challenges: Map<string, ChallengeImages>;
}

const SANDBOX_IMAGES = path.join(REPO_ROOT, 'sandbox-images');

/**
 * Makes sure every image exists, building only what changed (content-hash tags), in dependency order:
 * debian:bookworm-slim → node22 and the engines' base images → each challenge's database images and grader.
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
  const engines = await ensureEngineImages(docker, { baseId, node22 }, log);
  const set: ImageSet = { base: 'debian:bookworm-slim', node22, engines, challenges: new Map() };
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
