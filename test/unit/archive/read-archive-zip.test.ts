import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yazl from 'yazl';
import { readArchive } from '../../../runner/archive';
import { filesAsText } from '../../support/submission-fixtures';
import { expectAppError, writeZip } from './archive-fixtures';

/** A zip written by yazl, the way a well-behaved tool writes one. */
function yazlZip(build: (zip: yazl.ZipFile) => void): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  build(zip);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

const hasZip = (() => {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('readArchive zip', () => {
  describe('happy paths', () => {
    it('When yazl writes files, directories, stored and deflated entries, Then the files come back', async () => {
      const data = await yazlZip((zip) => {
        zip.addBuffer(Buffer.from('{"name":"api"}'), 'package.json');
        zip.addEmptyDirectory('src');
        zip.addBuffer(Buffer.from('export {};\n'.repeat(100)), 'src/app.ts');
        zip.addBuffer(Buffer.from('raw'), 'src/raw.txt', { compress: false });
        zip.addBuffer(Buffer.from('#!/bin/sh\n'), 'run.sh', { mode: 0o104755 });
      });
      expect(filesAsText(await readArchive({ format: 'zip', data }))).toEqual({
        'package.json': '{"name":"api"}',
        'src/app.ts': 'export {};\n'.repeat(100),
        'src/raw.txt': 'raw',
        'run.sh': '#!/bin/sh\n',
      });
    });

    it('When the project folder itself was zipped (with macOS __MACOSX metadata), Then both are removed', async () => {
      const data = await yazlZip((zip) => {
        zip.addEmptyDirectory('my-api');
        zip.addBuffer(Buffer.from('{}'), 'my-api/package.json');
        zip.addBuffer(Buffer.from('x'), 'my-api/src/index.js');
        zip.addBuffer(Buffer.from('meta'), '__MACOSX/my-api/._package.json');
      });
      expect(filesAsText(await readArchive({ format: 'zip', data }))).toEqual({
        'package.json': '{}',
        'src/index.js': 'x',
      });
    });

    (hasZip ? it : it.skip)('When the archive comes from the `zip` command, Then it is read', async () => {
      const root = mkdtempSync(join(tmpdir(), 'sg-zip-'));
      try {
        mkdirSync(join(root, 'src'));
        writeFileSync(join(root, 'package.json'), '{}');
        writeFileSync(join(root, 'src', 'index.js'), 'console.log(1)');
        execFileSync('zip', ['-qr', 'out.zip', 'package.json', 'src'], { cwd: root });
        const data = execFileSync('cat', [join(root, 'out.zip')]);
        expect(filesAsText(await readArchive({ format: 'zip', data }))).toEqual({
          'package.json': '{}',
          'src/index.js': 'console.log(1)',
        });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });

  describe('zip slip', () => {
    it.each([
      '../../x',
      '/etc/passwd',
      '////etc',
      '..\\x',
      'C:..\\x',
      'C:/x',
      'a/../../x',
      '~/x',
      'a\u0000b',
    ])(
      'When an entry is named %j, Then ARCHIVE_INVALID names the entry and nothing is returned',
      async (name) => {
        const data = writeZip([
          { name: 'package.json', content: '{}' },
          { name, content: 'pwned' },
        ]);
        const error = await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
        expect(error.message).toContain(`archive entry ${JSON.stringify(name)} rejected`);
      },
    );
  });

  describe('entry kinds', () => {
    it.each([
      ['symlink', 0o120777],
      ['character-device', 0o020644],
      ['block-device', 0o060644],
      ['fifo', 0o010644],
      ['socket', 0o140644],
    ])(
      'When an entry has unix type %s in its external attributes, Then ARCHIVE_INVALID',
      async (kind, unixMode) => {
        const data = writeZip([
          { name: 'package.json', content: '{}' },
          { name: 'evil', content: '/etc/passwd', unixMode },
        ]);
        const error = await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
        expect(error.message).toContain(`${kind} entries are not allowed`);
      },
    );

    it('When yazl writes a symlink entry (mode 0o120777), Then ARCHIVE_INVALID', async () => {
      const data = await yazlZip((zip) =>
        zip.addBuffer(Buffer.from('/etc/passwd'), 'link', { mode: 0o120777 }),
      );
      await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
    });

    it('When an entry is encrypted, Then ARCHIVE_INVALID', async () => {
      const data = writeZip([{ name: 'secret.txt', content: 'x', flags: 0x801 }]);
      const error = await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
      expect(error.message).toMatch(/encrypt/);
    });

    it('When an entry uses an unsupported compression method, Then ARCHIVE_INVALID', async () => {
      const data = writeZip([{ name: 'a.txt', content: 'x', method: 14 }]);
      await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
    });

    it('When two entries have the same name, Then ARCHIVE_INVALID reports a duplicate', async () => {
      const data = writeZip([
        { name: 'app.js', content: 'first' },
        { name: 'app.js', content: 'second' },
      ]);
      const error = await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
      expect(error.message).toContain('duplicate');
    });

    it('When a directory entry has content, Then ARCHIVE_INVALID', async () => {
      const data = writeZip([{ name: 'dir/', content: 'hidden', unixMode: 0o040755 }]);
      await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
    });
  });

  describe('limits', () => {
    it('When there are more files than maxFiles, Then ARCHIVE_TOO_LARGE', async () => {
      const data = writeZip(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, content: 'x' })));
      await expectAppError(readArchive({ format: 'zip', data }, { maxFiles: 5 }), 'ARCHIVE_TOO_LARGE');
    });

    it('When the central directory lists more than 2 × maxFiles entries, Then ARCHIVE_TOO_LARGE before reading them', async () => {
      const data = writeZip(Array.from({ length: 11 }, (_, i) => ({ name: `d${i}/`, unixMode: 0o040755 })));
      const error = await expectAppError(
        readArchive({ format: 'zip', data }, { maxFiles: 5 }),
        'ARCHIVE_TOO_LARGE',
      );
      expect(error.message).toContain('more than 10 entries');
    });

    it('When an entry is nested deeper than maxDepth, Then ARCHIVE_INVALID', async () => {
      const data = writeZip([{ name: `${'d/'.repeat(12)}x.txt`, content: 'x' }]);
      await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
    });

    it('When the declared sizes add up to more than maxTotalBytes, Then ARCHIVE_TOO_LARGE', async () => {
      const data = writeZip([
        { name: 'a.bin', content: Buffer.alloc(600) },
        { name: 'b.bin', content: Buffer.alloc(600) },
      ]);
      await expectAppError(
        readArchive({ format: 'zip', data }, { maxTotalBytes: 1000 }),
        'ARCHIVE_TOO_LARGE',
      );
    });
  });

  describe('corrupt input', () => {
    it.each([
      ['random bytes', Buffer.from('PK not really a zip file, sorry')],
      ['an empty buffer', Buffer.alloc(0)],
    ])('When the data is %s, Then ARCHIVE_INVALID "not a valid zip archive"', async (_label, data) => {
      const error = await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
      expect(error.message).toContain('not a valid zip archive');
    });

    it('When deflated data is damaged, Then ARCHIVE_INVALID "not a valid zip archive"', async () => {
      const data = writeZip([{ name: 'a.txt', content: 'hello hello hello hello hello hello' }]);
      data.fill(0xff, 30 + 'a.txt'.length, 30 + 'a.txt'.length + 4);
      const error = await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
      expect(error.message).toContain('not a valid zip archive');
    });

    it('When the CRC-32 does not match the content, Then ARCHIVE_INVALID', async () => {
      const data = writeZip([{ name: 'a.txt', content: 'hello' }]);
      const central = data.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      data.writeUInt32LE(0x12345678, central + 16);
      const error = await expectAppError(readArchive({ format: 'zip', data }), 'ARCHIVE_INVALID');
      expect(error.message).toContain('CRC-32');
    });
  });
});
