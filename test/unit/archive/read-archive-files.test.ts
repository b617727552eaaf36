import { readArchive } from '../../../runner/archive';
import { filesAsText } from '../../support/submission-fixtures';
import { expectAppError, MiB } from './archive-fixtures';

describe('readArchive files map', () => {
  it('When given path → UTF-8 text, Then it returns the same files as Buffers', async () => {
    const files = await readArchive({
      format: 'files',
      files: { 'package.json': '{}', './src/é.ts': 'const π = 3;' },
    });
    expect(files.get('src/é.ts')).toEqual(Buffer.from('const π = 3;', 'utf8'));
    expect(filesAsText(files)).toEqual({ 'package.json': '{}', 'src/é.ts': 'const π = 3;' });
  });

  it.each(['../../x', '/etc/passwd', '////etc', '..\\x', 'C:..\\x', '~/x', 'a\u0000b', ''])(
    'When a path is %j, Then ARCHIVE_INVALID and nothing is returned',
    async (name) => {
      await expectAppError(
        readArchive({ format: 'files', files: { 'package.json': '{}', [name]: 'x' } }),
        'ARCHIVE_INVALID',
      );
    },
  );

  it('When two keys normalize to the same path, Then ARCHIVE_INVALID reports a duplicate', async () => {
    const error = await expectAppError(
      readArchive({ format: 'files', files: { 'a.js': '1', './a.js': '2' } }),
      'ARCHIVE_INVALID',
    );
    expect(error.message).toContain('duplicate');
  });

  it('When a value is not a string (untrusted JSON), Then ARCHIVE_INVALID', async () => {
    const files = JSON.parse('{"a.js": {"nested": true}}') as Record<string, string>;
    await expectAppError(readArchive({ format: 'files', files }), 'ARCHIVE_INVALID');
    await expectAppError(
      readArchive({ format: 'files', files: null as unknown as Record<string, string> }),
      'ARCHIVE_INVALID',
    );
  });

  it('When "__proto__" is a key, Then it is an ordinary file name', async () => {
    const files = JSON.parse('{"__proto__": "x", "b.js": "y"}') as Record<string, string>;
    const read = await readArchive({ format: 'files', files });
    expect([...read.keys()]).toEqual(['__proto__', 'b.js']);
    expect(read.get('__proto__')?.toString()).toBe('x');
  });

  it('When the map is larger than maxCompressedBytes, Then ARCHIVE_TOO_LARGE', async () => {
    const files = { 'a.txt': 'x'.repeat(3 * MiB), 'b.txt': 'y'.repeat(3 * MiB) };
    await expectAppError(readArchive({ format: 'files', files }), 'ARCHIVE_TOO_LARGE');
  });

  it('When there are more files than maxFiles, Then ARCHIVE_TOO_LARGE', async () => {
    const files = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`f${i}`, '']));
    await expectAppError(readArchive({ format: 'files', files }, { maxFiles: 3 }), 'ARCHIVE_TOO_LARGE');
  });

  it('When the map is empty, Then ARCHIVE_INVALID', async () => {
    await expectAppError(readArchive({ format: 'files', files: {} }), 'ARCHIVE_INVALID');
  });

  it('When the format is unknown, Then ARCHIVE_INVALID', async () => {
    const input = { format: 'rar', data: Buffer.alloc(1) } as unknown as Parameters<typeof readArchive>[0];
    await expectAppError(readArchive(input), 'ARCHIVE_INVALID');
  });
});

describe('readArchive common top-level folder', () => {
  const read = async (files: Record<string, string>): Promise<string[]> =>
    [...(await readArchive({ format: 'files', files })).keys()].sort();

  it('When every file is under one folder, Then that folder is stripped', async () => {
    expect(await read({ 'my-api/package.json': '{}', 'my-api/src/a.ts': '' })).toEqual([
      'package.json',
      'src/a.ts',
    ]);
  });

  it('When files are nested two folders deep, Then only one level is stripped', async () => {
    expect(await read({ 'outer/inner/package.json': '{}', 'outer/inner/a.ts': '' })).toEqual([
      'inner/a.ts',
      'inner/package.json',
    ]);
  });

  it('When a file sits at the root, Then nothing is stripped', async () => {
    expect(await read({ 'package.json': '{}', 'src/a.ts': '' })).toEqual(['package.json', 'src/a.ts']);
    expect(await read({ 'README.md': '', 'src/a.ts': '' })).toEqual(['README.md', 'src/a.ts']);
  });

  it('When files sit under two different top-level folders, Then nothing is stripped', async () => {
    expect(await read({ 'src/a.ts': '', 'test/a.test.ts': '' })).toEqual(['src/a.ts', 'test/a.test.ts']);
  });

  it('When a top-level __MACOSX folder holds Finder metadata, Then it is dropped before stripping', async () => {
    expect(await read({ 'my-api/package.json': '{}', '__MACOSX/my-api/._package.json': 'meta' })).toEqual([
      'package.json',
    ]);
  });
});
