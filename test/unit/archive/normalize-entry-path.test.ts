import { isAppError } from '../../../runner/contract/app-error';
import { DEFAULT_ARCHIVE_LIMITS, normalizeEntryPath } from '../../../runner/archive';

function rejection(raw: string, limits = DEFAULT_ARCHIVE_LIMITS): { code: string; message: string } {
  try {
    normalizeEntryPath(raw, limits);
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('normalizeEntryPath', () => {
  it.each([
    ['package.json', 'package.json'],
    ['src/app.ts', 'src/app.ts'],
    ['./src/app.ts', 'src/app.ts'],
    ['././src/app.ts', 'src/app.ts'],
    ['.env', '.env'],
    ['src/..foo/a..b', 'src/..foo/a..b'],
    ['a~/b', 'a~/b'],
    ['dir with spaces/é.ts', 'dir with spaces/é.ts'],
    ['ab:c', 'ab:c'],
  ])('When the name is %j, Then it is accepted as %j', (raw, expected) => {
    expect(normalizeEntryPath(raw)).toBe(expected);
  });

  it.each([
    ['../../x', '".." path segment'],
    ['a/../../x', '".." path segment'],
    ['..', '".." path segment'],
    ['a/..', '".." path segment'],
    ['/etc/passwd', 'absolute path'],
    ['////etc', 'absolute path'],
    ['.//etc', 'absolute path'],
    ['..\\x', 'backslash'],
    ['C:..\\x', 'backslash'],
    ['C:x', 'drive letter'],
    ['c:/x', 'drive letter'],
    ['~/.ssh/authorized_keys', '"~"'],
    ['~root', '"~"'],
    ['a\u0000b', 'control character'],
    ['a\nb', 'control character'],
    ['a\u001bb', 'control character'],
    ['a\u007fb', 'control character'],
    ['', 'empty name'],
    ['./', 'empty name'],
    ['a//b', 'empty path segment'],
    ['a/', 'empty path segment'],
    ['a/./b', '"." path segment'],
    ['.', '"." path segment'],
  ])('When the name is %j, Then ARCHIVE_INVALID names it and says %j', (raw, reason) => {
    const { code, message } = rejection(raw);
    expect(code).toBe('ARCHIVE_INVALID');
    expect(message).toContain(`archive entry ${JSON.stringify(raw)} rejected`);
    expect(message).toContain(reason);
  });

  it('When the path has more segments than maxDepth, Then it is rejected as too deep', () => {
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, maxDepth: 3 };
    expect(normalizeEntryPath('a/b/c', limits)).toBe('a/b/c');
    const { code, message } = rejection('a/b/c/d', limits);
    expect(code).toBe('ARCHIVE_INVALID');
    expect(message).toContain('nested deeper than 3 levels');
  });

  it('When the normalized path is longer than maxPathLength, Then it is rejected', () => {
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, maxPathLength: 10 };
    expect(normalizeEntryPath('./abcdefghij', limits)).toBe('abcdefghij');
    expect(rejection('abcdefghijk', limits).message).toContain('longer than 10 characters');
  });

  it('When the name is huge, Then the error message quotes only its start', () => {
    const { message } = rejection(`${'a/'.repeat(5000)}..`);
    expect(message.length).toBeLessThan(300);
  });
});
