/**
 * Limits applied while reading an untrusted submission archive (docs/sandbox.md, "Archives": bombs). Sizes
 * are in bytes, everything else is a count. Byte limits are checked against the bytes actually produced while
 * decompressing, never only against sizes the archive declares (a 42.zip or Fifield overlapping-entry bomb
 * lies or multiplies).
 */
export interface ArchiveLimits {
  /** Largest accepted input: the archive buffer itself, or the UTF-8 size of a files map. Bytes. */
  maxCompressedBytes: number;
  /** Largest sum of decompressed file contents. Bytes. */
  maxTotalBytes: number;
  /** Largest single decompressed file. Bytes. */
  maxFileBytes: number;
  /**
   * Most regular files. Directory entries do not count here, but an archive may hold at most
   * `2 × maxFiles` entries of any kind (files, directories, rejected kinds).
   */
  maxFiles: number;
  /** Most path segments in an entry name, file name included (`src/a.ts` has depth 2). */
  maxDepth: number;
  /** Longest normalized entry path, in UTF-16 code units (characters for ASCII names). */
  maxPathLength: number;
  /**
   * Largest overall compression ratio: decompressed bytes ÷ input bytes. Enforced only once more than
   * {@link RATIO_GRACE_BYTES} have been decompressed, so tiny archives of tiny files are never flagged.
   */
  maxRatio: number;
}

/** Decompressed bytes allowed before {@link ArchiveLimits.maxRatio} starts to apply: 1 MiB. */
export const RATIO_GRACE_BYTES = 1024 * 1024;

const MiB = 1024 * 1024;

/**
 * Defaults: 5 MiB compressed, 20 MiB decompressed in total, 5 MiB per file, 2000 files, depth 12,
 * paths of at most 240 characters, compression ratio at most 200. Judge0 caps extracted zips at 10 MB
 * (`MAX_EXTRACT_SIZE`); a backend service's sources sit well below these.
 */
export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxCompressedBytes: 5 * MiB,
  maxTotalBytes: 20 * MiB,
  maxFileBytes: 5 * MiB,
  maxFiles: 2000,
  maxDepth: 12,
  maxPathLength: 240,
  maxRatio: 200,
});

/** Fills the missing fields of `limits` from {@link DEFAULT_ARCHIVE_LIMITS}. */
export function resolveArchiveLimits(limits: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const resolved: ArchiveLimits = { ...DEFAULT_ARCHIVE_LIMITS };
  for (const key of Object.keys(resolved) as (keyof ArchiveLimits)[]) {
    const value = limits[key];
    if (value !== undefined) resolved[key] = value;
  }
  return resolved;
}
