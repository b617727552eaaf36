import { AppError } from '../contract/app-error';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive-limits';

/**
 * A submission as a safe in-memory file set: normalized relative POSIX path (as returned by
 * {@link normalizeEntryPath}, e.g. `src/app.ts`) → file content. Only regular files; directories are
 * implied by the paths; no modes, owners or link targets are kept.
 */
export type SubmissionFiles = ReadonlyMap<string, Buffer>;

/** The path limits {@link normalizeEntryPath} enforces. */
export type EntryPathLimits = Pick<ArchiveLimits, 'maxDepth' | 'maxPathLength'>;

// NUL, C0 and C1 control characters and DEL: terminal/log injection, and NUL truncates C paths.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const DRIVE_LETTER = /^[A-Za-z]:/;

/**
 * Turns a raw archive entry name into a safe relative POSIX path, or throws.
 *
 * Rejected, with `AppError` `ARCHIVE_INVALID` naming the entry (docs/sandbox.md, "Archives"; Snyk
 * "Zip Slip", 2018):
 * - empty names, and empty segments (`a//b`, trailing `/`);
 * - absolute paths, however many leading slashes: `/etc/passwd`, `////etc` (node-tar CVE-2021-32804
 *   stripped only one `/`);
 * - `..` segments anywhere (`../../x`, `a/../../x`), and `.` segments other than a leading `./`;
 * - backslashes (`..\x`: a separator on Windows, node-tar CVE-2021-37701);
 * - drive letters (`C:..\x`, `C:/x`: drive-relative paths, node-tar CVE-2021-37713);
 * - NUL and control characters;
 * - paths starting with `~` (home-directory expansion in shells and some tools);
 * - more than `limits.maxDepth` segments, or a normalized path longer than `limits.maxPathLength`.
 *
 * A leading `./` (repeated, as in `././a`) is stripped; nothing else is rewritten, so a name is either
 * accepted as it is or rejected.
 *
 * @param raw entry name as stored in the archive (tar: after pax/GNU long-name headers are applied).
 * @param limits depth and length caps; defaults to {@link DEFAULT_ARCHIVE_LIMITS}.
 * @returns the normalized path, e.g. `./src/app.ts` → `src/app.ts`.
 * @throws AppError `ARCHIVE_INVALID`.
 */
export function normalizeEntryPath(raw: string, limits: EntryPathLimits = DEFAULT_ARCHIVE_LIMITS): string {
  const reject = (reason: string): never => {
    throw new AppError('ARCHIVE_INVALID', `archive entry ${describeEntryName(raw)} rejected: ${reason}`);
  };
  if (typeof raw !== 'string' || raw.length === 0) return reject('empty name');
  if (CONTROL_CHARS.test(raw)) return reject('name contains a NUL or control character');
  if (raw.includes('\\')) return reject('name contains a backslash');
  if (raw.startsWith('/')) return reject('absolute path');
  if (DRIVE_LETTER.test(raw)) return reject('name starts with a drive letter');
  if (raw.startsWith('~')) return reject('name starts with "~"');

  let path = raw;
  while (path.startsWith('./')) path = path.slice(2);
  if (path.length === 0) return reject('empty name');
  if (path.startsWith('/')) return reject('absolute path');

  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') return reject('empty path segment (duplicate or trailing "/")');
    if (segment === '..') return reject('".." path segment');
    if (segment === '.') return reject('"." path segment');
  }
  if (segments.length > limits.maxDepth) return reject(`nested deeper than ${limits.maxDepth} levels`);
  if (path.length > limits.maxPathLength)
    return reject(`path longer than ${limits.maxPathLength} characters`);
  return path;
}

/** Quotes an entry name for an error message: JSON-escaped (control characters visible), at most 120 chars. */
export function describeEntryName(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : String(raw);
  const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return JSON.stringify(shown);
}
