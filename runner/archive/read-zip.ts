import { crc32 } from 'node:zlib';
import * as yauzl from 'yauzl';
import { AppError, isAppError } from '../contract/app-error';
import type { ArchiveLimits } from './archive-limits';
import { collectCounted } from './collect-counted';
import { FileSetBuilder } from './file-set-builder';
import { describeEntryName, type SubmissionFiles } from './submission-files';

const UNIX_TYPE_MASK = 0o170000;
const UNIX_REGULAR = 0o100000;
const UNIX_DIRECTORY = 0o040000;
const UNIX_TYPE_NAMES: Readonly<Record<number, string>> = {
  0o010000: 'fifo',
  0o020000: 'character-device',
  0o060000: 'block-device',
  0o120000: 'symlink',
  0o140000: 'socket',
};

/**
 * Reads a zip archive into a file set with yauzl (`fromBuffer`, `lazyEntries`, `validateEntrySizes`).
 * Entry names are decoded raw (yauzl would turn `\` into `/`) and checked by `normalizeEntryPath`.
 * Refused: entries whose unix mode (external attributes >> 16) is not a regular file or directory
 * (symlinks 0o120000, devices, fifos, sockets; node-tar CVE-2021-32803 analogue),
 * encrypted entries, compression methods other than stored/deflate, entries whose local data overlaps
 * another entry's (Fifield, "A better zip bomb", 2019), entries whose inflated size or CRC-32 does not
 * match the central directory. Declared sizes are checked before inflating and real bytes are counted
 * while inflating, stopping at the first limit passed (docs/sandbox.md, "Archives").
 * @throws AppError `ARCHIVE_INVALID` ("not a valid zip archive" for corrupt data) or `ARCHIVE_TOO_LARGE`.
 */
export async function readZip(data: Buffer, limits: ArchiveLimits): Promise<SubmissionFiles> {
  const builder = new FileSetBuilder(limits, data.length);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(data, {
      lazyEntries: true,
      validateEntrySizes: true,
      decodeStrings: false,
      strictFileNames: true,
      autoClose: true,
    });
  } catch (err) {
    throw toAppError(err);
  }
  try {
    if (zip.entryCount > 2 * limits.maxFiles) {
      throw new AppError('ARCHIVE_TOO_LARGE', `archive has more than ${2 * limits.maxFiles} entries`);
    }
    const occupied = new ByteRanges();
    for await (const entry of zip.eachEntry()) {
      builder.countEntry();
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      const reject = (reason: string): never => {
        throw new AppError('ARCHIVE_INVALID', `archive entry ${describeEntryName(name)} rejected: ${reason}`);
      };
      const unixType = (entry.externalFileAttributes >>> 16) & UNIX_TYPE_MASK;
      if (unixType !== 0 && unixType !== UNIX_REGULAR && unixType !== UNIX_DIRECTORY) {
        reject(
          `${UNIX_TYPE_NAMES[unixType] ?? `unix type 0o${unixType.toString(8)}`} entries are not allowed, only regular files and directories`,
        );
      }
      if (name.endsWith('/') || unixType === UNIX_DIRECTORY) {
        if (entry.uncompressedSize > 0) reject('directory entry with content');
        builder.addDirectory(name);
        continue;
      }
      if (entry.isEncrypted()) reject('encrypted entries are not allowed');
      if (!entry.canDecodeFileData()) reject(`unsupported compression method ${entry.compressionMethod}`);

      const path = builder.beginFile(name, entry.uncompressedSize);
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
      if (!occupied.add(entry.relativeOffsetOfLocalHeader, fileDataStart + entry.compressedSize)) {
        reject('its data overlaps another entry (overlapping-entry zip bomb)');
      }
      const content = await collectCounted(
        await zip.openReadStreamPromise(entry),
        builder.fileCounter(path),
      ).catch((err: unknown) => {
        // yauzl's "too many bytes in the stream" means the entry inflates past its declared size.
        throw toAppError(err, `entry ${describeEntryName(name)}: `);
      });
      if (crc32(content) !== entry.crc32) reject('CRC-32 mismatch');
      builder.addFile(path, content);
    }
  } catch (err) {
    zip.close();
    throw toAppError(err);
  }
  return builder.finish();
}

/** Disjoint half-open byte ranges `[start, end)` of the archive, kept sorted by start. */
class ByteRanges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Adds `[start, end)`; returns false, adding nothing, when it overlaps a range already added. */
  add(start: number, end: number): boolean {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.starts[mid] ?? 0) < start) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && (this.ends[lo - 1] ?? 0) > start) return false;
    if (lo < this.starts.length && (this.starts[lo] ?? 0) < end) return false;
    this.starts.splice(lo, 0, start);
    this.ends.splice(lo, 0, end);
    return true;
  }
}

/** Our own errors pass through; anything from yauzl or zlib means corrupt input. */
function toAppError(err: unknown, context = ''): AppError {
  if (isAppError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new AppError('ARCHIVE_INVALID', `not a valid zip archive: ${context}${detail}`, { cause: err });
}
