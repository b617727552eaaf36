import { AppError } from '../contract/app-error';
import type { ArchiveLimits } from './archive-limits';
import { FileSetBuilder } from './file-set-builder';
import { describeEntryName, type SubmissionFiles } from './submission-files';

/**
 * Reads a files map (path → UTF-8 text, e.g. parsed from a JSON body) into a file set under the same
 * rules as an archive: names through `normalizeEntryPath`, limits on count and sizes. The input size
 * checked against `maxCompressedBytes` is the UTF-8 size of all paths and contents.
 * @throws AppError `ARCHIVE_INVALID` (not an object of strings, bad name) or `ARCHIVE_TOO_LARGE`.
 */
export function readFilesMap(files: unknown, limits: ArchiveLimits): SubmissionFiles {
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw new AppError('ARCHIVE_INVALID', 'files must be an object mapping paths to UTF-8 text');
  }
  const entries = Object.entries(files as Record<string, unknown>);
  let inputBytes = 0;
  for (const [name, text] of entries) {
    if (typeof text !== 'string') {
      throw new AppError(
        'ARCHIVE_INVALID',
        `file ${describeEntryName(name)} rejected: content must be a string`,
      );
    }
    inputBytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(text, 'utf8');
    if (inputBytes > limits.maxCompressedBytes) {
      throw new AppError('ARCHIVE_TOO_LARGE', `files exceed ${limits.maxCompressedBytes} bytes`);
    }
  }
  const builder = new FileSetBuilder(limits, inputBytes);
  for (const [name, text] of entries) {
    builder.countEntry();
    const content = Buffer.from(text as string, 'utf8');
    const path = builder.beginFile(name, content.length);
    builder.fileCounter(path)(content.length);
    builder.addFile(path, content);
  }
  return builder.finish();
}
