import { z } from 'zod';
import { AppError } from './app-error';

/** The candidate runtimes a challenge may accept (`runtimes:` in challenge.yaml). */
export const RUNTIME_IDS = ['node22', 'python3', 'go'] as const;
/** One candidate runtime: the language toolchain and image a submission runs on. */
export const runtimeIdSchema = z.enum(RUNTIME_IDS);
export type RuntimeId = z.infer<typeof runtimeIdSchema>;

/**
 * The files at a submission's root that mark each runtime (the build manifests of the ecosystems:
 * package.json for npm, requirements.txt or pyproject.toml (PEP 621) for pip, go.mod for Go modules).
 * A submission matches a runtime when it has at least one of its marker files.
 */
export const RUNTIME_MARKERS: Readonly<Record<RuntimeId, readonly string[]>> = {
  node22: ['package.json'],
  python3: ['requirements.txt', 'pyproject.toml'],
  go: ['go.mod'],
};

/**
 * Chooses the runtime of a submission from the names of its files (paths relative to its root):
 * `named` when given (it must be accepted and its marker file present), else the one accepted runtime whose
 * marker files are there.
 *
 * @param fileNames - every path of the submission (only root-level names are looked at).
 * @param accepted - the challenge's `runtimes`, in its order.
 * @param named - the runtime the client named (`runtime` in the API body, `--runtime` on the CLI), if any.
 * @returns the chosen runtime id.
 * @throws AppError `RUNTIME_NOT_ACCEPTED` (422) when the named or the only detected runtime is not one the
 *   challenge accepts; `RUNTIME_UNDETERMINED` (422) when no marker file or markers of several accepted
 *   runtimes are there, or the named runtime's marker is missing. Each message names the marker files found.
 */
export function selectRuntime(
  fileNames: Iterable<string>,
  accepted: readonly RuntimeId[],
  named?: RuntimeId,
): RuntimeId {
  const names = new Set(fileNames);
  const markersOf = (id: RuntimeId): string[] => RUNTIME_MARKERS[id].filter((f) => names.has(f));
  const allMarkers = RUNTIME_IDS.flatMap(markersOf);
  const found = allMarkers.length ? `found: ${allMarkers.join(', ')}` : 'found none of them';
  const expected = accepted.map((id) => `${id} (${RUNTIME_MARKERS[id].join(' or ')})`).join(', ');
  const details = { markers_found: allMarkers, accepted: [...accepted] };
  if (named) {
    if (!accepted.includes(named))
      throw new AppError(
        'RUNTIME_NOT_ACCEPTED',
        `this challenge does not accept the runtime ${named}; it accepts ${expected}`,
        { details },
      );
    if (!markersOf(named).length)
      throw new AppError(
        'RUNTIME_UNDETERMINED',
        `the runtime ${named} needs ${RUNTIME_MARKERS[named].join(' or ')} at the submission's root; ${found}`,
        { details },
      );
    return named;
  }
  const matching = accepted.filter((id) => markersOf(id).length > 0);
  if (matching.length === 1) return matching[0]!;
  if (matching.length > 1)
    throw new AppError(
      'RUNTIME_UNDETERMINED',
      `the submission matches several runtimes (${matching.join(', ')}; ${found}); name one with "runtime"`,
      { details },
    );
  const other = RUNTIME_IDS.filter((id) => !accepted.includes(id) && markersOf(id).length > 0);
  if (other.length)
    throw new AppError(
      'RUNTIME_NOT_ACCEPTED',
      `the submission is for ${other.join(', ')} (${found}), which this challenge does not accept; it accepts ${expected}`,
      { details },
    );
  throw new AppError(
    'RUNTIME_UNDETERMINED',
    `no runtime could be detected: the submission's root needs one of the marker files of ${expected}; ${found}`,
    { details },
  );
}
