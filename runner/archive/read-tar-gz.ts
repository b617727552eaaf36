import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { AppError, isAppError } from '../contract/app-error';
import type { ArchiveLimits } from './archive-limits';
import { collectCounted } from './collect-counted';
import { FileSetBuilder } from './file-set-builder';
import { describeEntryName, type SubmissionFiles } from './submission-files';

/**
 * Tar bytes allowed per entry on top of file contents: a 512-byte header, up to 511 bytes of padding
 * and a pax or GNU long-name header with its body.
 */
const TAR_OVERHEAD_PER_ENTRY = 2048;
/** End-of-archive blocks plus the padding `tar` adds up to its 10 KiB record size. */
const TAR_TRAILER_BYTES = 20 * 512;

/** Entry types read as regular files (`contiguous-file` is a regular file to every modern tar). */
const FILE_TYPES: ReadonlySet<string> = new Set(['file', 'contiguous-file']);

/**
 * Reads a gzip-compressed tar archive into a file set, streaming: gunzip → byte counter → tar-stream.
 * Every decompressed byte is counted as it arrives (the tar stream as a whole, capped at
 * `maxTotalBytes` plus per-entry header overhead, and each file's content), and reading stops as soon
 * as a limit is passed, so memory stays bounded whatever the archive claims (docs/sandbox.md,
 * "Archives": bombs). Only regular files and directories are accepted: symlinks, hard links, devices and
 * fifos are refused (node-tar CVE-2021-32803, -37701, -37712; entry kinds). Names are checked after
 * tar-stream has applied pax and GNU long-name headers. Modes, owners and setuid bits are ignored.
 * @throws AppError `ARCHIVE_INVALID` ("not a valid tar.gz archive" for corrupt data) or `ARCHIVE_TOO_LARGE`.
 */
export function readTarGz(data: Buffer, limits: ArchiveLimits): Promise<SubmissionFiles> {
  const builder = new FileSetBuilder(limits, data.length);
  const streamLimit = limits.maxTotalBytes + 2 * limits.maxFiles * TAR_OVERHEAD_PER_ENTRY + TAR_TRAILER_BYTES;
  const gunzip = createGunzip();
  const extract = tar.extract();

  return new Promise<SubmissionFiles>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      extract.destroy();
      reject(toAppError(err));
    };

    let streamBytes = 0;
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      streamBytes += chunk.length;
      try {
        if (streamBytes > streamLimit) {
          throw new AppError('ARCHIVE_TOO_LARGE', `decompressed archive exceeds ${streamLimit} bytes`);
        }
        builder.checkRatio(streamBytes);
      } catch (err) {
        fail(err);
        return;
      }
      if (!extract.write(chunk)) gunzip.pause();
    });
    extract.on('drain', () => gunzip.resume());
    gunzip.on('end', () => extract.end(null));
    gunzip.on('error', (err) => fail(err));
    extract.on('error', (err) => fail(err));

    // On a failure `next` is not called: `fail` has destroyed the extractor, which stops the parse.
    extract.on('entry', (header, stream, next) => {
      try {
        builder.countEntry();
        // tar-stream reports an unknown typeflag as null, whatever its types say.
        const type: string = (header.type as string | null) ?? 'unknown';
        if (type === 'directory') {
          builder.addDirectory(header.name);
          // tar-stream never ends a directory's stream when its header declares a size: don't wait for it.
          if (header.size > 0) {
            throw new AppError(
              'ARCHIVE_INVALID',
              `archive entry ${describeEntryName(header.name)} rejected: directory entry with content`,
            );
          }
          stream.resume();
          next();
          return;
        }
        if (!FILE_TYPES.has(type)) {
          throw new AppError(
            'ARCHIVE_INVALID',
            `archive entry ${describeEntryName(header.name)} rejected: ${type === 'link' ? 'hard link' : type} entries are not allowed, only regular files and directories`,
          );
        }
        const path = builder.beginFile(header.name, header.size);
        collectCounted(stream, builder.fileCounter(path)).then((data) => {
          if (settled) return;
          builder.addFile(path, data);
          next();
        }, fail);
      } catch (err) {
        fail(err);
      }
    });

    extract.on('finish', () => {
      if (settled) return;
      try {
        const files = builder.finish();
        settled = true;
        resolve(files);
      } catch (err) {
        fail(err);
      }
    });

    gunzip.end(data);
  });
}

/** Our own limit errors pass through; anything from zlib or tar-stream means corrupt input. */
function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new AppError('ARCHIVE_INVALID', `not a valid tar.gz archive: ${detail}`, { cause: err });
}
