import fs from 'node:fs/promises';
import path from 'node:path';
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';
import { normalizeEntryPath, type SubmissionFiles } from '../archive';
import { AppError } from '../contract/app-error';

/** File name of a known-bad solution's defect: a unified diff (git format) over the challenge's reference. */
export const DEFECT_PATCH_FILE = 'defect.patch';

/** `a/src/x.js` → `src/x.js`; `/dev/null` (file added or deleted) → null. Like `patch -p1`. */
function patchPath(name: string | undefined): string | null {
  if (!name || name === '/dev/null') return null;
  const stripped = name.replace(/^[ab]\//, '');
  return normalizeEntryPath(stripped);
}

/**
 * Applies a unified diff to a file set and returns the patched copy (the input is not changed).
 * Paths carry git's `a/` and `b/` prefixes; added files come from `/dev/null`, deleted ones go to it.
 * Hunks must apply exactly (no fuzz), so a patch that no longer matches its base is reported, not guessed.
 *
 * @param base file set the patch was made against (e.g. a challenge's `reference/`).
 * @param patchText unified diff, as written by `git diff` or `diff -u`.
 * @param label names the patch in error messages.
 * @throws AppError `CHALLENGE_INVALID` when the diff is malformed, names an unsafe path, or a hunk does
 *   not apply to the base.
 */
export function applySolutionPatch(base: SubmissionFiles, patchText: string, label: string): SubmissionFiles {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(patchText);
  } catch (err) {
    throw new AppError('CHALLENGE_INVALID', `${label}: not a unified diff (${(err as Error).message})`);
  }
  const out = new Map(base);
  for (const p of patches) {
    if (p.hunks.length === 0) continue;
    const from = patchPath(p.oldFileName);
    const to = patchPath(p.newFileName);
    const target = to ?? from;
    if (target === null) throw new AppError('CHALLENGE_INVALID', `${label}: a file patch names no path`);
    const before = from === null ? '' : out.get(from)?.toString('utf8');
    if (before === undefined) throw new AppError('CHALLENGE_INVALID', `${label}: ${from} is not in the base`);
    const after = applyPatch(before, p);
    if (after === false)
      throw new AppError('CHALLENGE_INVALID', `${label}: a hunk of ${target} does not apply`);
    if (from !== null && from !== to) out.delete(from);
    if (to !== null) out.set(to, Buffer.from(after, 'utf8'));
  }
  return out;
}

/**
 * Reads a patch-based solution folder: `<dir>/defect.patch` applied to `baseFiles`. Returns null when the
 * folder holds no defect patch (it is then a complete solution folder).
 *
 * @throws AppError `CHALLENGE_INVALID` as {@link applySolutionPatch}.
 */
export async function readPatchedSolution(
  dir: string,
  baseFiles: () => Promise<SubmissionFiles>,
): Promise<SubmissionFiles | null> {
  const file = path.join(dir, DEFECT_PATCH_FILE);
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null) return null;
  return applySolutionPatch(await baseFiles(), text, path.relative(process.cwd(), file) || file);
}
