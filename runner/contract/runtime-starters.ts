import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { RUNTIME_IDS, selectRuntime, type RuntimeId } from './runtime-selection';

/**
 * Folder names of a challenge's starters: `starter/` and one per further language, `starter-<x>/` (as
 * references are `reference/` and `reference-<x>/`).
 */
export const STARTER_FOLDER = /^starter(?:-[a-z0-9]+)?$/;

/** One starter a candidate can download: the runtime it is written for and its folder. */
export interface RuntimeStarter {
  runtime: RuntimeId;
  /** Folder name inside the challenge (`starter`, `starter-python`, …). */
  folder: string;
  /** Absolute folder path. */
  dir: string;
}

/**
 * The starters of a challenge, one per runtime it accepts: each `starter` or `starter-<x>` folder's runtime is
 * detected from its root files exactly as a submission's is (runner/contract/runtime-selection.ts); a folder whose
 * runtime cannot be told, or is not in `accepted`, is no starter. `starter/` comes first and wins when two
 * folders detect as the same runtime; the others follow by name.
 *
 * @param challengeDir - the challenge package folder.
 * @param accepted - the manifest's `runtimes`.
 * @returns at most one starter per runtime, `starter/`'s first; empty when the challenge has none.
 * @throws the fs error when `challengeDir` cannot be read.
 */
export async function startersOf(
  challengeDir: string,
  accepted: readonly RuntimeId[],
): Promise<RuntimeStarter[]> {
  const top = await readdir(challengeDir, { withFileTypes: true });
  const folders = top
    .filter((e) => e.isDirectory() && STARTER_FOLDER.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a === 'starter' ? -1 : b === 'starter' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const out: RuntimeStarter[] = [];
  for (const folder of folders) {
    const dir = path.join(challengeDir, folder);
    let runtime: RuntimeId;
    try {
      runtime = selectRuntime(await readdir(dir), RUNTIME_IDS);
    } catch {
      continue; // no marker file, or markers of several runtimes
    }
    if (accepted.includes(runtime) && !out.some((s) => s.runtime === runtime))
      out.push({ runtime, folder, dir });
  }
  return out;
}
