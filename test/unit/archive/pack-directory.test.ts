import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { packDirectory, packFiles, readArchive, type SubmissionFiles } from '../../../runner/archive';
import { filesAsText } from '../../support/submission-fixtures';
import { expectAppError } from './archive-fixtures';

/** The headers of a tar.gz, in order. */
async function headersOf(data: Buffer): Promise<tar.Header[]> {
  const extract = tar.extract();
  const headers: tar.Header[] = [];
  extract.on('entry', (header, stream, next) => {
    headers.push(header);
    stream.on('end', () => next());
    stream.resume();
  });
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', () => resolve());
    extract.on('error', reject);
  });
  extract.end(gunzipSync(data));
  await done;
  return headers;
}

describe('packDirectory', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sg-pack-'));
    outside = mkdtempSync(join(tmpdir(), 'sg-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    mkdirSync(join(root, 'src', 'lib'), { recursive: true });
    mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'empty'));
    writeFileSync(join(root, 'package.json'), '{"name":"api"}');
    writeFileSync(join(root, 'src', 'app.ts'), 'export {};\n');
    writeFileSync(join(root, 'src', 'lib', 'util.ts'), 'export const x = 1;\n');
    writeFileSync(join(root, '.env.example'), 'PORT=3000\n');
    writeFileSync(join(root, 'node_modules', 'dep', 'index.js'), 'dep');
    writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'src', 'secret-link.txt'));
    symlinkSync(outside, join(root, 'linked-dir'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const expected = {
    '.env.example': 'PORT=3000\n',
    'package.json': '{"name":"api"}',
    'src/app.ts': 'export {};\n',
    'src/lib/util.ts': 'export const x = 1;\n',
  };

  it('When a directory is packed, Then readArchive gives back exactly its regular files (no node_modules, .git, symlinks)', async () => {
    const files = await readArchive({ format: 'tar.gz', data: await packDirectory(root) });
    expect(filesAsText(files)).toEqual(expected);
  });

  it('When packed twice with different mtimes, Then the bytes are identical', async () => {
    const first = await packDirectory(root);
    utimesSync(join(root, 'package.json'), new Date(2020, 1, 1), new Date(2020, 1, 1));
    expect((await packDirectory(root)).equals(first)).toBe(true);
  });

  it('When packed, Then entries are sorted with fixed mtime, modes 0644/0755, uid 0 and no owner names', async () => {
    const headers = await headersOf(await packDirectory(root));
    expect(headers.map((h) => `${h.type} ${h.name}`)).toEqual([
      'file .env.example',
      'file package.json',
      'directory src/',
      'file src/app.ts',
      'directory src/lib/',
      'file src/lib/util.ts',
    ]);
    for (const h of headers) {
      expect(h.mode).toBe(h.type === 'directory' ? 0o755 : 0o644);
      expect(h.mtime.getTime()).toBe(0);
      expect([h.uid, h.gid, h.uname, h.gname]).toEqual([0, 0, '', '']);
    }
  });

  it('When an exclude function is given, Then it replaces the default exclusion', async () => {
    const files = await readArchive({
      format: 'tar.gz',
      data: await packDirectory(root, { exclude: (relPath) => relPath === 'src' || relPath === '.git' }),
    });
    expect(Object.keys(filesAsText(files)).sort()).toEqual([
      '.env.example',
      'node_modules/dep/index.js',
      'package.json',
    ]);
  });

  it('When packFiles packs a file set, Then readArchive reads the same set back', async () => {
    const files: SubmissionFiles = new Map([
      ['package.json', Buffer.from('{}')],
      ['src/a.ts', Buffer.from([0, 1, 2, 255])],
      [`${'long-directory-name/'.repeat(8)}file.ts`, Buffer.from('deep')],
    ]);
    const back = await readArchive({ format: 'tar.gz', data: await packFiles(files) });
    expect(back).toEqual(files);
  });

  it('When packFiles gets a path that is not normalized, Then ARCHIVE_INVALID', async () => {
    await expectAppError(packFiles(new Map([['../x', Buffer.from('x')]])), 'ARCHIVE_INVALID');
  });
});
