import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readArchive } from '../../../runner/archive';
import { filesAsText } from '../../support/submission-fixtures';
import { expectAppError, MiB, tarGz, tarGzOfFiles } from './archive-fixtures';

describe('readArchive tar.gz', () => {
  describe('happy paths', () => {
    it('When the archive holds files and directories, Then only the files come back, by normalized path', async () => {
      const data = await tarGz([
        { header: { name: './', type: 'directory' } },
        { header: { name: './package.json' }, content: '{"name":"api"}' },
        { header: { name: './src/', type: 'directory' } },
        { header: { name: './src/app.ts' }, content: 'export {};\n' },
        { header: { name: 'README.md' }, content: '# api' },
        { header: { name: 'empty.txt' }, content: '' },
      ]);
      const files = await readArchive({ format: 'tar.gz', data });
      expect(filesAsText(files)).toEqual({
        'package.json': '{"name":"api"}',
        'src/app.ts': 'export {};\n',
        'README.md': '# api',
        'empty.txt': '',
      });
    });

    it('When an entry carries setuid bits and odd owners, Then only its content is kept', async () => {
      const data = await tarGz([
        { header: { name: 'run.sh', mode: 0o4777, uid: 0, uname: 'root' }, content: '#!/bin/sh\n' },
      ]);
      const files = await readArchive({ format: 'tar.gz', data });
      expect(filesAsText(files)).toEqual({ 'run.sh': '#!/bin/sh\n' });
    });

    it('When a name is longer than 100 bytes (pax or ustar prefix), Then the full name is read', async () => {
      const long = `${'directory-name-'.repeat(6)}/${'file-name-'.repeat(12)}.ts`;
      const data = await tarGz([
        { header: { name: long }, content: 'x' },
        { header: { name: 'b.ts' }, content: 'y' },
      ]);
      expect([...(await readArchive({ format: 'tar.gz', data })).keys()]).toEqual([long, 'b.ts']);
    });

    const hasTar = (() => {
      try {
        execFileSync('tar', ['--version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    (hasTar ? it : it.skip)(
      'When the archive comes from `tar -czf` of a project folder, Then the folder is stripped',
      async () => {
        const root = mkdtempSync(join(tmpdir(), 'sg-tar-'));
        try {
          mkdirSync(join(root, 'my-api', 'src'), { recursive: true });
          writeFileSync(join(root, 'my-api', 'package.json'), '{}');
          writeFileSync(join(root, 'my-api', 'src', 'index.js'), 'console.log(1)');
          const data = execFileSync('tar', ['-czf', '-', '-C', root, 'my-api']);
          expect(filesAsText(await readArchive({ format: 'tar.gz', data }))).toEqual({
            'package.json': '{}',
            'src/index.js': 'console.log(1)',
          });
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    );
  });

  describe('zip slip', () => {
    it.each(['../../x', '/etc/passwd', '////etc', '..\\x', 'C:..\\x', 'a/../../x', '~/x', 'a\nb'])(
      'When an entry is named %j, Then ARCHIVE_INVALID names the entry and nothing is returned',
      async (name) => {
        const data = await tarGz([
          { header: { name: 'package.json' }, content: '{}' },
          { header: { name }, content: 'pwned' },
        ]);
        const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
        expect(error.message).toContain('rejected');
      },
    );

    it.each(['../evil', '/etc/cron.d/x', 'a\u0000b'])(
      'When a pax header overrides a harmless ustar name with %j, Then the final name is checked and rejected',
      async (path) => {
        const data = await tarGz([{ header: { name: 'harmless.txt', pax: { path } }, content: 'x' }]);
        const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
        expect(error.message).toContain(JSON.stringify(path));
      },
    );

    it('When a directory entry is named "../up/", Then it is rejected although directories yield no file', async () => {
      const data = await tarGz([
        { header: { name: '../up/', type: 'directory' } },
        { header: { name: 'a.txt' }, content: 'a' },
      ]);
      await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
    });
  });

  describe('entry kinds', () => {
    it.each([
      ['symlink', { name: 'link', type: 'symlink', linkname: '/etc/passwd' }],
      ['link', { name: 'hard', type: 'link', linkname: 'package.json' }],
      ['character-device', { name: 'tty', type: 'character-device', devmajor: 5, devminor: 0 }],
      ['block-device', { name: 'sda', type: 'block-device', devmajor: 8, devminor: 0 }],
      ['fifo', { name: 'pipe', type: 'fifo' }],
    ] as const)(
      'When the archive holds a %s entry, Then ARCHIVE_INVALID names its kind',
      async (kind, header) => {
        const data = await tarGz([
          { header: { name: 'package.json' }, content: '{}' },
          { header: { ...header } },
        ]);
        const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
        expect(error.message).toContain(`${kind} entries are not allowed`);
      },
    );

    it('When a directory is followed by a symlink of the same name (CVE-2021-32803), Then it is rejected', async () => {
      const data = await tarGz([
        { header: { name: 'app/', type: 'directory' } },
        { header: { name: 'app', type: 'symlink', linkname: '/tmp' } },
        { header: { name: 'app/x.js' }, content: 'x' },
      ]);
      await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
    });

    it('When two entries have the same name, Then ARCHIVE_INVALID reports a duplicate', async () => {
      const data = await tarGz([
        { header: { name: 'app.js' }, content: 'first' },
        { header: { name: './app.js' }, content: 'second' },
      ]);
      const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
      expect(error.message).toContain('duplicate');
    });

    it('When a path is both a file and a directory, Then it is rejected', async () => {
      const data = await tarGzOfFiles({ lib: 'file', 'lib/a.js': 'x' });
      const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
      expect(error.message).toContain('both a file and a directory');
    });

    it('When a directory entry declares content, Then it is rejected instead of hanging', async () => {
      const data = await tarGz([{ header: { name: 'dir/', type: 'directory', size: 512 } }]);
      await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
    });
  });

  describe('limits', () => {
    it('When the input is larger than maxCompressedBytes, Then ARCHIVE_TOO_LARGE before any parsing', async () => {
      const data = Buffer.alloc(5 * MiB + 1);
      const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_TOO_LARGE');
      expect(error.httpStatus).toBe(413);
    });

    it('When there are more files than maxFiles, Then ARCHIVE_TOO_LARGE', async () => {
      const files = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}.txt`, 'x']));
      const data = await tarGzOfFiles(files);
      await expect(readArchive({ format: 'tar.gz', data }, { maxFiles: 11 })).resolves.toHaveProperty(
        'size',
        11,
      );
      await expectAppError(readArchive({ format: 'tar.gz', data }, { maxFiles: 10 }), 'ARCHIVE_TOO_LARGE');
    });

    it('When there are more than 2 × maxFiles entries of any kind, Then ARCHIVE_TOO_LARGE', async () => {
      const dirs = Array.from({ length: 25 }, (_, i) => ({
        header: { name: `d${i}/`, type: 'directory' as const },
      }));
      const data = await tarGz([...dirs, { header: { name: 'a.txt' }, content: 'a' }]);
      await expectAppError(readArchive({ format: 'tar.gz', data }, { maxFiles: 10 }), 'ARCHIVE_TOO_LARGE');
    });

    it('When an entry is nested deeper than maxDepth, Then ARCHIVE_INVALID', async () => {
      const data = await tarGzOfFiles({ [`${'d/'.repeat(12)}x.txt`]: 'x' });
      const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
      expect(error.message).toContain('nested deeper than 12 levels');
    });

    it('When a path is longer than maxPathLength, Then ARCHIVE_INVALID', async () => {
      const data = await tarGzOfFiles({ [`${'x'.repeat(241)}`]: 'x' });
      await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
    });

    it('When a file is larger than maxFileBytes, Then ARCHIVE_TOO_LARGE', async () => {
      const data = await tarGz([{ header: { name: 'big.bin' }, content: Buffer.alloc(2048, 1) }]);
      await expect(readArchive({ format: 'tar.gz', data }, { maxFileBytes: 2048 })).resolves.toHaveProperty(
        'size',
        1,
      );
      await expectAppError(
        readArchive({ format: 'tar.gz', data }, { maxFileBytes: 2047 }),
        'ARCHIVE_TOO_LARGE',
      );
    });

    it('When the files together exceed maxTotalBytes, Then ARCHIVE_TOO_LARGE', async () => {
      const data = await tarGz([
        { header: { name: 'a.bin' }, content: Buffer.alloc(1000, 1) },
        { header: { name: 'b.bin' }, content: Buffer.alloc(1000, 2) },
      ]);
      await expectAppError(
        readArchive({ format: 'tar.gz', data }, { maxTotalBytes: 1999 }),
        'ARCHIVE_TOO_LARGE',
      );
    });
  });

  describe('corrupt input', () => {
    it.each([
      ['random bytes', Buffer.from('this is not gzip at all')],
      ['an empty buffer', Buffer.alloc(0)],
      [
        'gzip of something that is not a tar',
        gzipSync(Buffer.from('hello world, not a tar header'.repeat(40))),
      ],
    ])('When the data is %s, Then ARCHIVE_INVALID "not a valid tar.gz archive"', async (_label, data) => {
      const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
      expect(error.message).toContain('not a valid tar.gz archive');
    });

    it('When the gzip is truncated, Then ARCHIVE_INVALID "not a valid tar.gz archive"', async () => {
      const data = await tarGzOfFiles({ 'a.txt': 'a'.repeat(10000) });
      const error = await expectAppError(
        readArchive({ format: 'tar.gz', data: data.subarray(0, data.length - 20) }),
        'ARCHIVE_INVALID',
      );
      expect(error.message).toContain('not a valid tar.gz archive');
    });

    it('When the archive holds no file, Then ARCHIVE_INVALID', async () => {
      const data = await tarGz([{ header: { name: 'src/', type: 'directory' } }]);
      const error = await expectAppError(readArchive({ format: 'tar.gz', data }), 'ARCHIVE_INVALID');
      expect(error.message).toContain('no files');
    });
  });
});
