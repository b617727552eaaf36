import { AppError } from '../contract/app-error';
import { RATIO_GRACE_BYTES, type ArchiveLimits } from './archive-limits';
import { describeEntryName, normalizeEntryPath, type SubmissionFiles } from './submission-files';

/** Top-level folder that macOS Finder adds to zips (AppleDouble metadata); never part of a project. */
const MACOS_METADATA_DIR = '__MACOSX';

/**
 * Accumulates the entries of one archive while it is being read and enforces every
 * {@link ArchiveLimits} as the bytes arrive (docs/sandbox.md, "Archives"). Shared by
 * the tar.gz, zip and files-map readers so that all three apply exactly the same rules.
 * Internal to `runner/archive`.
 */
export class FileSetBuilder {
  private readonly files = new Map<string, Buffer>();
  private readonly directories = new Set<string>();
  private entries = 0;
  private totalBytes = 0;

  constructor(
    private readonly limits: ArchiveLimits,
    /** Size of the input the ratio is measured against. Bytes. */
    private readonly inputBytes: number,
  ) {}

  /** Counts one archive entry of any kind against `2 × maxFiles`. @throws AppError `ARCHIVE_TOO_LARGE`. */
  countEntry(): void {
    this.entries += 1;
    if (this.entries > 2 * this.limits.maxFiles) {
      throw new AppError('ARCHIVE_TOO_LARGE', `archive has more than ${2 * this.limits.maxFiles} entries`);
    }
  }

  /**
   * Validates a directory entry's name; directories produce no file. The archive root (`.`, `./`) is
   * accepted and ignored. @throws AppError `ARCHIVE_INVALID`.
   */
  addDirectory(rawName: string): void {
    if (rawName === '.' || rawName === './') return;
    const name = rawName.endsWith('/') ? rawName.slice(0, -1) : rawName;
    if (name.length === 0) normalizeEntryPath(rawName, this.limits);
    this.directories.add(normalizeEntryPath(name, this.limits));
  }

  /**
   * Starts a regular file: validates its name, refuses duplicates, counts it, and checks the size the
   * archive declares (when it declares one) before any byte is read.
   * @param declaredBytes size from the tar header or zip central directory, in bytes.
   * @returns the normalized path to pass to {@link addFile}.
   * @throws AppError `ARCHIVE_INVALID` (name, duplicate) or `ARCHIVE_TOO_LARGE` (count, sizes).
   */
  beginFile(rawName: string, declaredBytes?: number): string {
    const path = normalizeEntryPath(rawName, this.limits);
    if (this.files.has(path)) {
      throw new AppError(
        'ARCHIVE_INVALID',
        `archive entry ${describeEntryName(rawName)} rejected: duplicate name`,
      );
    }
    if (this.files.size + 1 > this.limits.maxFiles) {
      throw new AppError('ARCHIVE_TOO_LARGE', `archive has more than ${this.limits.maxFiles} files`);
    }
    if (declaredBytes !== undefined) {
      if (declaredBytes > this.limits.maxFileBytes) throw this.fileTooLarge(path);
      if (this.totalBytes + declaredBytes > this.limits.maxTotalBytes) throw this.totalTooLarge();
    }
    // Reserve the name now so that a duplicate is refused even before this file's content is complete.
    this.files.set(path, EMPTY);
    return path;
  }

  /**
   * Returns a byte counter for the file started with {@link beginFile}: call it with each decompressed
   * chunk's length as it arrives; it throws as soon as a limit is passed, so no more than the limit is
   * ever buffered. @throws AppError `ARCHIVE_TOO_LARGE`.
   */
  fileCounter(path: string): (chunkBytes: number) => void {
    let fileBytes = 0;
    return (chunkBytes) => {
      fileBytes += chunkBytes;
      this.totalBytes += chunkBytes;
      if (fileBytes > this.limits.maxFileBytes) throw this.fileTooLarge(path);
      if (this.totalBytes > this.limits.maxTotalBytes) throw this.totalTooLarge();
      this.checkRatio(this.totalBytes);
    };
  }

  /** Stores a file's content, all of whose bytes went through its {@link fileCounter}. */
  addFile(path: string, content: Buffer): void {
    this.files.set(path, content);
  }

  /**
   * Checks the overall compression ratio of `decompressedBytes` (all decompressed bytes so far,
   * container overhead included) against the input size. @throws AppError `ARCHIVE_TOO_LARGE`.
   */
  checkRatio(decompressedBytes: number): void {
    if (decompressedBytes <= RATIO_GRACE_BYTES) return;
    if (decompressedBytes > this.limits.maxRatio * Math.max(this.inputBytes, 1)) {
      throw new AppError(
        'ARCHIVE_TOO_LARGE',
        `archive expands more than ${this.limits.maxRatio} times its compressed size (compression bomb)`,
      );
    }
  }

  /**
   * Completes the file set: refuses a path that is both a file and a directory and an archive without
   * files, drops a top-level `__MACOSX/` folder, then strips a single common top-level folder (see
   * {@link stripCommonTopFolder}). @throws AppError `ARCHIVE_INVALID`.
   */
  finish(): SubmissionFiles {
    const parents = new Set(this.directories);
    for (const path of this.files.keys()) {
      const segments = path.split('/');
      for (let i = 1; i < segments.length; i++) parents.add(segments.slice(0, i).join('/'));
    }
    for (const path of this.files.keys()) {
      if (parents.has(path)) {
        throw new AppError(
          'ARCHIVE_INVALID',
          `archive entry ${describeEntryName(path)} rejected: it is both a file and a directory`,
        );
      }
    }
    const kept = new Map<string, Buffer>();
    for (const [path, content] of this.files) {
      if (path.split('/', 1)[0] !== MACOS_METADATA_DIR) kept.set(path, content);
    }
    if (kept.size === 0) throw new AppError('ARCHIVE_INVALID', 'archive contains no files');
    return stripCommonTopFolder(kept);
  }

  private fileTooLarge(path: string): AppError {
    return new AppError(
      'ARCHIVE_TOO_LARGE',
      `archive entry ${describeEntryName(path)} is larger than ${this.limits.maxFileBytes} bytes`,
    );
  }

  private totalTooLarge(): AppError {
    return new AppError('ARCHIVE_TOO_LARGE', `archive contents exceed ${this.limits.maxTotalBytes} bytes`);
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * People often archive the project folder itself (`zip -r my-api.zip my-api/`): when every file sits
 * under one and the same top-level folder — hence there is no file, and no `package.json`, at the
 * root — that folder is removed from every path (`my-api/package.json` → `package.json`). Only one
 * level is stripped; a set with any file at the root is returned unchanged.
 */
export function stripCommonTopFolder(files: ReadonlyMap<string, Buffer>): SubmissionFiles {
  let top: string | undefined;
  for (const path of files.keys()) {
    const slash = path.indexOf('/');
    if (slash < 0) return files;
    const first = path.slice(0, slash);
    if (top === undefined) top = first;
    else if (top !== first) return files;
  }
  if (top === undefined || files.has('package.json')) return files;
  const stripped = new Map<string, Buffer>();
  for (const [path, content] of files) stripped.set(path.slice(top.length + 1), content);
  return stripped;
}
