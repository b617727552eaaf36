import { constants, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { AppError } from '../contract/app-error';
import { describeEntryName, normalizeEntryPath, type SubmissionFiles } from './submission-files';

const FILE_MODE = 0o644;
const DIR_MODE = 0o755;
/** `wx` (create, fail if it exists) plus O_NOFOLLOW: never overwrite, never write through a symlink. */
const OPEN_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const DIR_OPEN_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
/** writeFiles re-checks names for safety only; size limits were applied when the set was read. */
const NO_PATH_LIMITS = { maxDepth: Number.POSITIVE_INFINITY, maxPathLength: Number.POSITIVE_INFINITY };

/**
 * Writes a file set into `dir`, an existing EMPTY directory the caller created (a runner-owned
 * directory later mounted read-only into the candidate's container). Parent directories are created
 * with mode 0755 and files with mode 0644 (set explicitly, whatever the umask, so the sandbox user can
 * read them); no other mode, owner or setuid bit is ever written (docs/sandbox.md, "Archives").
 *
 * Defence in depth against zip slip (docs/sandbox.md, "Archives"; node-tar
 * CVE-2021-32803/-32804/-37701/-37712/-37713), although `readArchive` already validated the set:
 * each path must be a normalized relative path (`normalizeEntryPath`), its resolved location must stay
 * inside `dir`, every parent must be a real directory (not a symlink, checked with `lstat` and
 * `realpath`), and files are opened with `wx` + `O_NOFOLLOW`, so nothing existing is overwritten and
 * no symlink is followed.
 *
 * @throws Error if `dir` is not an empty directory (a caller bug).
 * @throws AppError `ARCHIVE_INVALID` for a path that is not normalized, would resolve outside `dir`,
 *   or clashes with something already there (a file where a directory is needed, or the reverse).
 */
export async function writeFiles(dir: string, files: SubmissionFiles): Promise<void> {
  const root = await fs.realpath(dir);
  if (!(await fs.lstat(root)).isDirectory()) throw new Error(`writeFiles: ${dir} is not a directory`);
  if ((await fs.readdir(root)).length > 0) throw new Error(`writeFiles: ${dir} is not empty`);

  const knownDirs = new Set<string>();
  for (const [path, content] of files) {
    const refuse = (reason: string, cause?: unknown): never => {
      throw new AppError('ARCHIVE_INVALID', `refusing to write ${describeEntryName(path)}: ${reason}`, {
        cause,
      });
    };
    if (normalizeEntryPath(path, NO_PATH_LIMITS) !== path) refuse('not a normalized relative path');
    const target = resolveInside(root, path) ?? refuse('it resolves outside the target directory');

    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const relDir = segments.slice(0, i).join('/');
      if (knownDirs.has(relDir)) continue;
      const absDir = resolveInside(root, relDir) ?? refuse('it resolves outside the target directory');
      let created = true;
      try {
        await fs.mkdir(absDir, { mode: DIR_MODE });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        created = false;
      }
      // Opened with O_NOFOLLOW | O_DIRECTORY so that a symlink or a file in the way is refused, and the
      // mode is set on the directory itself (chmod by name would follow a symlink).
      let dirHandle: fs.FileHandle;
      try {
        dirHandle = await fs.open(absDir, DIR_OPEN_FLAGS);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ELOOP' || code === 'ENOTDIR') {
          return refuse(`${describeEntryName(relDir)} exists and is not a directory`, err);
        }
        throw err;
      }
      try {
        if (created) await dirHandle.chmod(DIR_MODE);
      } finally {
        await dirHandle.close();
      }
      knownDirs.add(relDir);
    }

    const parent = nodePath.dirname(target);
    if ((await fs.realpath(parent)) !== parent) refuse('it resolves outside the target directory');

    let handle: fs.FileHandle;
    try {
      handle = await fs.open(target, OPEN_FLAGS, FILE_MODE);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return refuse('it already exists; nothing is overwritten', err);
      if (code === 'ELOOP') return refuse('it is a symlink', err);
      throw err;
    }
    try {
      await handle.writeFile(content);
      await handle.chmod(FILE_MODE);
    } finally {
      await handle.close();
    }
  }
}

/** The absolute path of `relPath` under `root`, or undefined when it would land outside `root`. */
function resolveInside(root: string, relPath: string): string | undefined {
  const abs = nodePath.resolve(root, relPath);
  const prefix = root.endsWith(nodePath.sep) ? root : root + nodePath.sep;
  return abs.startsWith(prefix) ? abs : undefined;
}
