import fs from 'node:fs/promises';
import path from 'node:path';
import { RUNTIME_IDS, selectRuntime, type RuntimeId } from '../contract/runtime-selection';

/** Folder names of a challenge's references: `reference/` and one per further language, `reference-<x>/`. */
export const REFERENCE_FOLDER = /^reference(?:-[a-z0-9]+)?$/;

/**
 * The reference folder a pod runs next to a candidate written for `runtime`: the challenge's reference whose
 * own runtime (detected from its root files, as a submission's is) is `runtime`, else `reference/`.
 * Performance checks compare the candidate's throughput with this twin in the same pod, so a correct
 * solution is measured against a reference on the same language runtime rather than against another
 * runtime's speed. `reference/` wins when several references detect as `runtime`; the others follow by name.
 *
 * @param challengeDir - the challenge package folder.
 * @returns an absolute folder path; `reference/` when the challenge has no reference for `runtime`.
 */
export async function referenceDirFor(challengeDir: string, runtime: RuntimeId): Promise<string> {
  const top = await fs.readdir(challengeDir, { withFileTypes: true });
  const names = top
    .filter((e) => e.isDirectory() && REFERENCE_FOLDER.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a === 'reference' ? -1 : b === 'reference' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const dir = path.join(challengeDir, name);
    const files = await fs.readdir(dir);
    let detected: RuntimeId | null = null;
    try {
      detected = selectRuntime(files, RUNTIME_IDS);
    } catch {
      // A folder whose runtime cannot be told (no marker, or several) is no reference for any runtime.
    }
    if (detected === runtime) return dir;
  }
  return path.join(challengeDir, 'reference');
}
