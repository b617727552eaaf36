import { AppError } from '../contract/app-error';
import { resolveArchiveLimits, type ArchiveLimits } from './archive-limits';
import { readFilesMap } from './read-files-map';
import { readTarGz } from './read-tar-gz';
import { readZip } from './read-zip';
import type { SubmissionFiles } from './submission-files';

/**
 * An untrusted submission as received: a gzip-compressed tar, a zip, or a map of path → UTF-8 text
 * (the JSON body of a small submission).
 */
export type ArchiveInput =
  | { format: 'tar.gz'; data: Buffer }
  | { format: 'zip'; data: Buffer }
  | { format: 'files'; files: Record<string, string> };

/**
 * Turns an untrusted submission into a safe in-memory {@link SubmissionFiles}, never touching the disk
 * (docs/sandbox.md, "Archives").
 *
 * - Input size: `data.length` (or the UTF-8 size of a files map) must not exceed
 *   `limits.maxCompressedBytes`, checked before any parsing.
 * - Names: every entry name goes through `normalizeEntryPath` (no `..`, absolute, backslash, drive
 *   letter, control character, `~`, too deep or too long); duplicate names and a path that is both a
 *   file and a directory are refused.
 * - Kinds: only regular files and directories (directories yield no entry); symlinks, hard links,
 *   devices, fifos are refused (node-tar CVE-2021-32803, -37701, -37712). Modes and setuid bits are
 *   dropped: only content is kept.
 * - Sizes: real decompressed bytes are counted while streaming and reading stops at the first limit
 *   passed (`maxFileBytes`, `maxTotalBytes`, `maxFiles`, `maxRatio`), so a zip or gzip bomb costs at
 *   most the limits in memory and time (42.zip; Fifield, "A better zip bomb", 2019).
 * - Layout: a top-level `__MACOSX/` folder (Finder metadata) is dropped; then, if every file sits under
 *   one single top-level folder (so there is no file and no `package.json` at the root), that folder is
 *   stripped, since people often archive the project folder itself (`my-api/src/app.ts` → `src/app.ts`).
 * - An archive without any file is refused.
 *
 * @param limits overrides of {@link DEFAULT_ARCHIVE_LIMITS}; bytes and counts.
 * @returns normalized relative POSIX path → content.
 * @throws AppError `ARCHIVE_TOO_LARGE` (413) for the input size, file count, file and total bytes and
 *   compression ratio; AppError `ARCHIVE_INVALID` (422) for everything else, including corrupt data
 *   ("not a valid tar.gz archive", "not a valid zip archive").
 */
export async function readArchive(
  input: ArchiveInput,
  limits?: Partial<ArchiveLimits>,
): Promise<SubmissionFiles> {
  const resolved = resolveArchiveLimits(limits);
  switch (input.format) {
    case 'tar.gz':
      checkInputSize(input.data, resolved);
      return readTarGz(input.data, resolved);
    case 'zip':
      checkInputSize(input.data, resolved);
      return readZip(input.data, resolved);
    case 'files':
      return readFilesMap(input.files, resolved);
    default:
      throw new AppError('ARCHIVE_INVALID', `unsupported archive format ${JSON.stringify(formatOf(input))}`);
  }
}

function checkInputSize(data: Buffer, limits: ArchiveLimits): void {
  if (!Buffer.isBuffer(data)) throw new AppError('ARCHIVE_INVALID', 'archive data must be a Buffer');
  if (data.length > limits.maxCompressedBytes) {
    throw new AppError(
      'ARCHIVE_TOO_LARGE',
      `archive is ${data.length} bytes, more than the ${limits.maxCompressedBytes} bytes allowed`,
    );
  }
}

function formatOf(input: never): unknown {
  return (input as { format?: unknown }).format;
}
