import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { MANIFEST_FILE, type LoadedChallenge } from '../contract/challenge-catalog';
import type {
  ProvenanceContainer,
  ProvenanceRunner,
  ReportProvenance,
} from '../contract/grade-result.schema';
import { REPO_ROOT } from '../lib/paths';

/** Folder of a challenge package holding the grader's checks (bundled into its grader image). */
export const HIDDEN_TESTS_DIR = 'hidden-tests';

let versionCache: string | undefined;

/** `version` of Stackgrade's own package.json (read once). */
export async function stackgradeVersion(): Promise<string> {
  if (versionCache === undefined) {
    const pkg = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version?: string;
    };
    versionCache = pkg.version ?? '0.0.0';
  }
  return versionCache;
}

/** The line format of {@link hashTree} over a path → content map: one `<path>\0<sha256 hex>\n` per file. */
function hashEntries(entries: Iterable<[string, Buffer]>): string {
  const h = crypto.createHash('sha256');
  for (const [rel, data] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    h.update(`${rel}\0${crypto.createHash('sha256').update(data).digest('hex')}\n`);
  return h.digest('hex');
}

/** SHA-256 (hex) of a submission's files, computed like {@link hashTree} (same files, same hash). */
export function hashFiles(files: ReadonlyMap<string, Buffer>): string {
  return hashEntries(files.entries());
}

/** Regular files under `dir`, as sorted POSIX paths relative to it (symbolic links are not followed). */
async function filesUnder(dir: string, rel = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(dir, child)));
    else if (e.isFile()) out.push(child);
  }
  return out.sort();
}

/**
 * SHA-256 (hex) of a folder's content: of the lines `<posix path>\0<sha256 hex of the file>\n` of every
 * regular file, sorted by path. Independent of timestamps, permissions and the order `readdir` returns;
 * a missing folder hashes like an empty one.
 */
export async function hashTree(dir: string): Promise<string> {
  const entries: [string, Buffer][] = [];
  for (const rel of await filesUnder(dir))
    entries.push([rel, await fs.readFile(path.join(dir, ...rel.split('/')))]);
  return hashEntries(entries);
}

/** The challenge part of a provenance: id, version, hashes of its hidden tests and of its manifest. */
export async function challengeFingerprint(
  challenge: Pick<LoadedChallenge, 'dir' | 'manifest'>,
): Promise<ReportProvenance['challenge']> {
  const manifest = await fs.readFile(path.join(challenge.dir, MANIFEST_FILE));
  return {
    id: challenge.manifest.id,
    version: challenge.manifest.version,
    hidden_tests_sha256: await hashTree(path.join(challenge.dir, HIDDEN_TESTS_DIR)),
    manifest_sha256: crypto.createHash('sha256').update(manifest).digest('hex'),
  };
}

/** The id (`sha256:…`) of image `ref` in the engine, or null when the engine does not have it. */
export async function imageIdOf(docker: Docker, ref: string): Promise<string | null> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch {
    return null;
  }
}

/** The images a pod was made of, by container role (see {@link provenanceContainerSchema}). */
export interface PodImages {
  owner: string;
  grader: string;
  /** Manifest service name → image. */
  services: Readonly<Record<string, string>>;
  candidate: string;
  /** The reference solution's runtime image, when the challenge runs one for performance ratios. */
  reference: string | null;
}

/** Each container of a pod of `images` with its image's id in the engine (one inspect per container). */
export async function podContainers(docker: Docker, images: PodImages): Promise<ProvenanceContainer[]> {
  const roles: [string, string][] = [
    ['network-owner', images.owner],
    ...Object.entries(images.services).map(([name, image]): [string, string] => [`service:${name}`, image]),
    ...(images.reference ? [['reference', images.reference] as [string, string]] : []),
    ['candidate', images.candidate],
    ['grader', images.grader],
  ];
  return Promise.all(
    roles.map(async ([role, image]) => ({ role, image, image_id: await imageIdOf(docker, image) })),
  );
}

/**
 * The provenance of a report made now: Stackgrade and Node.js versions, the grader seed (null when no pod
 * ran), the hash of the solution's files, the challenge's fingerprint, the pod's containers (empty when no pod ran), runtime versions and the runner.
 */
export async function recordProvenance(o: {
  docker: Docker;
  challenge: Pick<LoadedChallenge, 'dir' | 'manifest'>;
  graderSeed: number | null;
  /** The submission's files (path → content). */
  files: ReadonlyMap<string, Buffer>;
  pod: PodImages | null;
  runtimeVersions: Readonly<Record<string, string>>;
  /** The runner grading it (omitted from the provenance when absent). */
  runner?: ProvenanceRunner;
}): Promise<ReportProvenance> {
  return {
    stackgrade_version: await stackgradeVersion(),
    node_version: process.version,
    graded_at: new Date().toISOString(),
    grader_seed: o.graderSeed,
    solution_sha256: hashFiles(o.files),
    challenge: await challengeFingerprint(o.challenge),
    containers: o.pod ? await podContainers(o.docker, o.pod) : [],
    runtime_versions: { ...o.runtimeVersions },
    ...(o.runner ? { runner: { ...o.runner } } : {}),
  };
}
