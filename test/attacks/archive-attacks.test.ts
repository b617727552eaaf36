/**
 * Hostile archives (docs/sandbox.md, "Archives"): every one goes through the runner's
 * upload path, `readArchive`, and must be refused with an AppError whose message says why, before anything
 * is written anywhere. Fast: no pod.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readArchive, type ArchiveInput } from '../../runner/archive';
import type { ErrorCode } from '../../runner/contract/error-codes';
import {
  GiB,
  MiB,
  expectAppError,
  gzipBomb,
  rawDeflateOfGzip,
  tarFileHeader,
  tarGz,
  tarGzOfFiles,
  writeZip,
} from '../unit/archive/archive-fixtures';

const PKG = JSON.stringify({ name: 'x', private: true, scripts: { start: 'node server.js' } });
let sentinelDir: string;
let before: string[];

beforeAll(async () => {
  // A folder the traversal names below would land in if they were ever written relative to a work dir.
  sentinelDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stackgrade-attack-archives-'));
  await fs.writeFile(path.join(sentinelDir, 'sentinel'), crypto.randomBytes(32));
  before = await fs.readdir(sentinelDir);
});

afterAll(async () => {
  await fs.rm(sentinelDir, { recursive: true, force: true });
});

const cases: [string, () => Promise<ArchiveInput>, ErrorCode, RegExp][] = [
  [
    'path traversal ../../x',
    async () => ({
      format: 'tar.gz',
      data: await tarGzOfFiles({ 'package.json': PKG, '../../sentinel': 'x' }),
    }),
    'ARCHIVE_INVALID',
    /"\.\." path segment/,
  ],
  [
    'absolute path /etc/cron.d/x',
    async () => ({
      format: 'tar.gz',
      data: await tarGzOfFiles({ 'package.json': PKG, '/etc/cron.d/x': 'x' }),
    }),
    'ARCHIVE_INVALID',
    /absolute path/,
  ],
  [
    'repeated slashes ////etc/passwd (node-tar CVE-2021-32804)',
    async () => ({
      format: 'zip',
      data: writeZip([
        { name: 'package.json', content: PKG },
        { name: '////etc/passwd', content: 'x' },
      ]),
    }),
    'ARCHIVE_INVALID',
    /absolute path/,
  ],
  [
    'backslash ..\\x (node-tar CVE-2021-37701)',
    async () => ({
      format: 'zip',
      data: writeZip([
        { name: 'package.json', content: PKG },
        { name: '..\\..\\x', content: 'x' },
      ]),
    }),
    'ARCHIVE_INVALID',
    /backslash/,
  ],
  [
    'drive letter C:..\\x (node-tar CVE-2021-37713)',
    async () => ({ format: 'tar.gz', data: await tarGzOfFiles({ 'package.json': PKG, 'C:x': 'x' }) }),
    'ARCHIVE_INVALID',
    /drive letter/,
  ],
  [
    'symlink to /etc/passwd (tar)',
    async () => ({
      format: 'tar.gz',
      data: await tarGz([
        { header: { name: 'package.json' }, content: PKG },
        { header: { name: 'server.js', type: 'symlink', linkname: '/etc/passwd' } },
      ]),
    }),
    'ARCHIVE_INVALID',
    /symlink/i,
  ],
  [
    'directory then symlink replacing it (node-tar CVE-2021-32803)',
    async () => ({
      format: 'tar.gz',
      data: await tarGz([
        { header: { name: 'package.json' }, content: PKG },
        { header: { name: 'lib', type: 'directory' } },
        { header: { name: 'lib', type: 'symlink', linkname: '/tmp' } },
        { header: { name: 'lib/x.js' }, content: 'x' },
      ]),
    }),
    'ARCHIVE_INVALID',
    /symlink/i,
  ],
  [
    'symlink (zip, unix mode 0o120777)',
    async () => ({
      format: 'zip',
      data: writeZip([
        { name: 'package.json', content: PKG },
        { name: 'link', content: '/etc/shadow', unixMode: 0o120777 },
      ]),
    }),
    'ARCHIVE_INVALID',
    /symlink|symbolic link/i,
  ],
  [
    'hard link to /etc/shadow',
    async () => ({
      format: 'tar.gz',
      data: await tarGz([
        { header: { name: 'package.json' }, content: PKG },
        { header: { name: 'shadow', type: 'link', linkname: '/etc/shadow' } },
      ]),
    }),
    'ARCHIVE_INVALID',
    /link/i,
  ],
  [
    'character device /dev/mem-like entry',
    async () => ({
      format: 'tar.gz',
      data: await tarGz([
        { header: { name: 'package.json' }, content: PKG },
        { header: { name: 'mem', type: 'character-device', devmajor: 1, devminor: 1 } },
      ]),
    }),
    'ARCHIVE_INVALID',
    /device/i,
  ],
  [
    'block device entry',
    async () => ({
      format: 'tar.gz',
      data: await tarGz([
        { header: { name: 'package.json' }, content: PKG },
        { header: { name: 'sda', type: 'block-device', devmajor: 8, devminor: 0 } },
      ]),
    }),
    'ARCHIVE_INVALID',
    /device/i,
  ],
  [
    'fifo entry',
    async () => ({
      format: 'tar.gz',
      data: await tarGz([
        { header: { name: 'package.json' }, content: PKG },
        { header: { name: 'pipe', type: 'fifo' } },
      ]),
    }),
    'ARCHIVE_INVALID',
    /fifo/i,
  ],
  [
    'zip bomb: one entry inflating to 1 GiB of zeros',
    async () => ({
      format: 'zip',
      data: writeZip([
        { name: 'package.json', content: PKG },
        { name: 'bomb.bin', raw: rawDeflateOfGzip(await gzipBomb(GiB)) },
      ]),
    }),
    'ARCHIVE_TOO_LARGE',
    /larger than|exceed|expands/,
  ],
  [
    'zip bomb lying about its size (declares 10 bytes, inflates to 1 GiB)',
    async () => ({
      format: 'zip',
      data: writeZip([
        { name: 'package.json', content: PKG },
        { name: 'bomb.bin', raw: rawDeflateOfGzip(await gzipBomb(GiB)), declaredSize: 10 },
      ]),
    }),
    'ARCHIVE_INVALID',
    /size|length|bytes/i,
  ],
  [
    'overlapping-entry zip bomb (Fifield): 300 names sharing one 4 MiB entry',
    async () => ({
      format: 'zip',
      data: writeZip([
        { name: 'package.json', content: PKG },
        { name: 'f0', content: Buffer.alloc(4 * MiB) },
        ...Array.from({ length: 300 }, (_, i) => ({ name: `f${i + 1}`, sharesDataWith: 1 })),
      ]),
    }),
    'ARCHIVE_TOO_LARGE',
    /exceed|expands|larger than/,
  ],
  [
    'gzip bomb: a tar.gz whose file is 1 GiB of zeros',
    async () => ({ format: 'tar.gz', data: await gzipBomb(GiB, tarFileHeader('bomb.bin', GiB)) }),
    'ARCHIVE_TOO_LARGE',
    /larger than|exceed|expands/,
  ],
  [
    'oversized upload: 6 MiB of incompressible bytes',
    async () => ({ format: 'tar.gz', data: crypto.randomBytes(6 * MiB) }),
    'ARCHIVE_TOO_LARGE',
    /more than the \d+ bytes allowed/,
  ],
  [
    'too many files: 2 500 tiny entries',
    async () => ({
      format: 'tar.gz',
      data: await tarGzOfFiles(
        Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`f/${i}.js`, '1'])),
      ),
    }),
    'ARCHIVE_TOO_LARGE',
    /more than \d+ (files|entries)/,
  ],
];

describe('hostile archives are refused by readArchive with a clear error', () => {
  it('a well-formed archive of the same shape is accepted (the refusals below are not blanket)', async () => {
    const files = await readArchive({
      format: 'tar.gz',
      data: await tarGzOfFiles({ 'package.json': PKG, 'server.js': '1' }),
    });
    expect([...files.keys()].sort()).toEqual(['package.json', 'server.js']);
  });

  it.each(cases)('%s', async (_name, make, code, message) => {
    const input = await make();
    const rssBefore = process.memoryUsage.rss();
    const err = await expectAppError(readArchive(input), code);
    expect(err.message).toMatch(message);
    expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(256 * MiB);
    expect(await fs.readdir(sentinelDir)).toEqual(before);
  });
});
