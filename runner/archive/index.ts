/**
 * Safe handling of untrusted submission archives (docs/sandbox.md, "Archives"):
 * read a tar.gz, zip or files map into memory under limits, write it to a fresh directory, and pack a
 * directory back into a deterministic tar.gz.
 */
export {
  DEFAULT_ARCHIVE_LIMITS,
  RATIO_GRACE_BYTES,
  resolveArchiveLimits,
  type ArchiveLimits,
} from './archive-limits';
export { normalizeEntryPath, type EntryPathLimits, type SubmissionFiles } from './submission-files';
export { readArchive, type ArchiveInput } from './read-archive';
export { writeFiles } from './write-files';
export { defaultPackExclude, packDirectory, packFiles, type PackDirectoryOptions } from './pack-directory';
