import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArchive, writeFiles, type SubmissionFiles } from '../../../runner/archive';
import { expectAppError, tarGzOfFiles } from './archive-fixtures';

const filesOf = (entries: Record<string, string>): SubmissionFiles =>
  new Map(Object.entries(entries).map(([path, text]) => [path, Buffer.from(text)]));

describe('writeFiles', () => {
  let sandbox: string;
  let target: string;
  let sentinel: string;
  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'sg-write-'));
    target = join(sandbox, 'target');
    sentinel = join(sandbox, 'sentinel');
    mkdirSync(target);
    mkdirSync(sentinel);
    writeFileSync(join(sentinel, 'keep.txt'), 'untouched');
  });
  afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

  const sentinelUntouched = (): void => {
    expect(readdirSync(sentinel)).toEqual(['keep.txt']);
    expect(readFileSync(join(sentinel, 'keep.txt'), 'utf8')).toBe('untouched');
    expect(readdirSync(sandbox).sort()).toEqual(['sentinel', 'target']);
  };

  it('When given a file set from readArchive, Then it writes the files with modes 0644 and dirs 0755', async () => {
    const files = await readArchive({
      format: 'tar.gz',
      data: await tarGzOfFiles({ 'package.json': '{}', 'src/lib/a.ts': 'a', 'src/b.ts': 'b' }),
    });
    const previous = process.umask(0o077);
    try {
      await writeFiles(target, files);
    } finally {
      process.umask(previous);
    }
    expect(readFileSync(join(target, 'src/lib/a.ts'), 'utf8')).toBe('a');
    expect(readFileSync(join(target, 'src/b.ts'), 'utf8')).toBe('b');
    expect(readFileSync(join(target, 'package.json'), 'utf8')).toBe('{}');
    expect(lstatSync(join(target, 'src/lib/a.ts')).mode & 0o7777).toBe(0o644);
    expect(lstatSync(join(target, 'src')).mode & 0o7777).toBe(0o755);
    expect(lstatSync(join(target, 'src/lib')).mode & 0o7777).toBe(0o755);
    sentinelUntouched();
  });

  it.each(['../sentinel/keep.txt', '../x', '/etc/passwd', 'a/../../x', './a', 'a//b', '..\\x'])(
    'When a path is %j (a hand-built set), Then ARCHIVE_INVALID and nothing is written outside',
    async (path) => {
      await expectAppError(writeFiles(target, filesOf({ [path]: 'pwned' })), 'ARCHIVE_INVALID');
      sentinelUntouched();
      expect(readdirSync(target)).toEqual([]);
    },
  );

  it('When a file is listed before a directory of the same name, Then it refuses to turn the file into a directory', async () => {
    const error = await expectAppError(
      writeFiles(target, filesOf({ a: 'file', 'a/b': 'x' })),
      'ARCHIVE_INVALID',
    );
    expect(error.message).toContain('is not a directory');
    expect(readFileSync(join(target, 'a'), 'utf8')).toBe('file');
  });

  it('When a directory exists where a file is to be written, Then it refuses to overwrite it', async () => {
    const error = await expectAppError(
      writeFiles(target, filesOf({ 'a/b': 'x', a: 'file' })),
      'ARCHIVE_INVALID',
    );
    expect(error.message).toContain('already exists');
    expect(lstatSync(join(target, 'a')).isDirectory()).toBe(true);
  });

  it('When the target directory is not empty, Then it throws and overwrites nothing', async () => {
    writeFileSync(join(target, 'package.json'), 'original');
    await expect(writeFiles(target, filesOf({ 'package.json': 'new' }))).rejects.toThrow(/not empty/);
    expect(readFileSync(join(target, 'package.json'), 'utf8')).toBe('original');
  });

  it('When the target directory does not exist, Then it throws and creates nothing', async () => {
    await expect(writeFiles(join(sandbox, 'missing'), filesOf({ 'a.txt': 'x' }))).rejects.toThrow();
    expect(existsSync(join(sandbox, 'missing'))).toBe(false);
  });
});
