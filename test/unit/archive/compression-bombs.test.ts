import { gzipSync } from 'node:zlib';
import { isAppError } from '../../../runner/contract/app-error';
import { readArchive, type ArchiveInput, type ArchiveLimits } from '../../../runner/archive';
import {
  expectAppError,
  GiB,
  gzipBomb,
  measure,
  MiB,
  rawDeflateOfGzip,
  tarFileHeader,
  tarGz,
  writeZip,
} from './archive-fixtures';

/**
 * docs/sandbox.md, "Archives": bombs. Containment, not speed: a bomb must be refused without buffering what it
 * expands to (a 1 GiB expansion held in memory would grow RSS by 1 GiB). Timing is for `npm run bench`.
 */
const MAX_RSS_GROWTH = 128 * MiB;

/** Reads `input` while measuring, and asserts it was refused with `code` without buffering the expansion. */
async function expectBombRefused(
  input: ArchiveInput,
  code: string,
  limits?: Partial<ArchiveLimits>,
): Promise<string> {
  const { result, peakRssGrowth } = await measure(() => readArchive(input, limits));
  expect(result.status).toBe('rejected');
  const reason: unknown = result.status === 'rejected' ? result.reason : undefined;
  expect(isAppError(reason) && reason.code).toBe(code);
  expect(peakRssGrowth).toBeLessThan(MAX_RSS_GROWTH);
  return (reason as Error).message;
}

describe('compression bombs', () => {
  /** 1 GiB of zeros gzipped: about 1 MiB. */
  let gigabyteOfZeros: Buffer;
  beforeAll(async () => {
    gigabyteOfZeros = await gzipBomb(GiB);
  }, 30_000);

  it('Given 1 GiB of zeros gzipped to ~1 MiB, it fits the compressed limit (so the decompressed count is what stops it)', () => {
    expect(gigabyteOfZeros.length).toBeLessThan(5 * MiB);
  });

  it('When a tar.gz decompresses to 1 GiB of zero blocks, Then ARCHIVE_TOO_LARGE in < 2 s with flat memory', async () => {
    const message = await expectBombRefused({ format: 'tar.gz', data: gigabyteOfZeros }, 'ARCHIVE_TOO_LARGE');
    expect(message).toContain('decompressed archive exceeds');
  });

  it('When a tar.gz holds one 1 GiB file of zeros, Then ARCHIVE_TOO_LARGE in < 2 s with flat memory', async () => {
    // Two gzip members (header, then the zeros): gunzip reads them as one stream, like `cat a.gz b.gz`.
    const data = Buffer.concat([gzipSync(tarFileHeader('bomb.bin', GiB)), gigabyteOfZeros]);
    const message = await expectBombRefused({ format: 'tar.gz', data }, 'ARCHIVE_TOO_LARGE');
    expect(message).toContain('"bomb.bin" is larger than');
  });

  it('When the limits are raised, Then the real decompressed bytes still stop the bomb at the ratio limit', async () => {
    const data = Buffer.concat([gzipSync(tarFileHeader('bomb.bin', GiB)), gigabyteOfZeros]);
    const limits = { maxFileBytes: 2 * GiB, maxTotalBytes: 2 * GiB, maxRatio: 20 };
    const { result, peakRssGrowth } = await measure(() => readArchive({ format: 'tar.gz', data }, limits));
    expect(result.status === 'rejected' && isAppError(result.reason) && result.reason.code).toBe(
      'ARCHIVE_TOO_LARGE',
    );
    // 20 × ~1 MiB input: the content buffered before the stop stays around 20 MiB, not 1 GiB.
    expect(peakRssGrowth).toBeLessThan(MAX_RSS_GROWTH);
  });

  it('When a small tar.gz expands more than maxRatio times, Then ARCHIVE_TOO_LARGE (compression bomb)', async () => {
    const data = await tarGz([{ header: { name: 'zeros.bin' }, content: Buffer.alloc(3 * MiB) }]);
    const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_TOO_LARGE');
    expect(error.message).toContain('expands more than 200 times');
  });

  it('When a zip entry inflates to 1 GiB and says so, Then ARCHIVE_TOO_LARGE in < 2 s before inflating', async () => {
    const data = writeZip([{ name: 'bomb.bin', raw: rawDeflateOfGzip(gigabyteOfZeros) }]);
    await expectBombRefused({ format: 'zip', data }, 'ARCHIVE_TOO_LARGE');
  });

  it('When a zip entry inflates to 1 GiB but declares 1 KiB, Then it is refused in < 2 s with flat memory', async () => {
    const data = writeZip([{ name: 'bomb.bin', raw: rawDeflateOfGzip(gigabyteOfZeros), declaredSize: 1024 }]);
    await expectBombRefused({ format: 'zip', data }, 'ARCHIVE_INVALID');
  });

  it('When zip entries overlap (Fifield "A better zip bomb"), Then ARCHIVE_INVALID', async () => {
    const data = writeZip([
      { name: 'a.bin', content: Buffer.alloc(MiB) },
      { name: 'b.bin', sharesDataWith: 0 },
      { name: 'c.bin', sharesDataWith: 0 },
    ]);
    const error = await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
    expect(error.message).toContain('overlaps another entry');
  });

  it('When ten entries share one 4 MiB body (40 MiB in all), Then ARCHIVE_INVALID at the second, in < 2 s', async () => {
    const data = writeZip([
      { name: 'a.bin', content: Buffer.alloc(4 * MiB) },
      ...Array.from({ length: 9 }, (_, i) => ({ name: `copy${i}.bin`, sharesDataWith: 0 })),
    ]);
    // The ratio limit would stop it too; raise it to show the overlap check on its own.
    const message = await expectBombRefused({ format: 'zip', data }, 'ARCHIVE_INVALID', { maxRatio: 1e9 });
    expect(message).toContain('"copy0.bin"');
  });

  it('When a small zip expands more than maxRatio times, Then ARCHIVE_TOO_LARGE', async () => {
    const data = writeZip([{ name: 'zeros.bin', content: Buffer.alloc(3 * MiB) }]);
    const error = await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_TOO_LARGE');
    expect(error.message).toContain('expands more than 200 times');
  });
});
