import { isAppError } from '../../../runner/contract/app-error';
import { RUNTIME_IDS, selectRuntime } from '../../../runner/contract/runtime-selection';

const ALL = RUNTIME_IDS;

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('selectRuntime', () => {
  it.each([
    [['package.json', 'server.js'], 'node22'],
    [['requirements.txt', 'main.py'], 'python3'],
    [['pyproject.toml', 'app/__init__.py'], 'python3'],
    [['go.mod', 'go.sum', 'main.go'], 'go'],
  ] as const)('detects from the marker files %j: %s', (files, id) => {
    expect(selectRuntime(files, ALL)).toBe(id);
  });

  it('looks only at the root: a package.json in a sub-folder marks nothing', () => {
    const r = refusal(() => selectRuntime(['web/package.json', 'main.py'], ALL));
    expect(r.code).toBe('RUNTIME_UNDETERMINED');
    expect(r.message).toContain('found none of them');
  });

  it('when markers of several accepted runtimes are there, refuses naming them, and a named runtime decides', () => {
    const files = ['package.json', 'requirements.txt', 'main.py'];
    const r = refusal(() => selectRuntime(files, ALL));
    expect(r.code).toBe('RUNTIME_UNDETERMINED');
    expect(r.message).toContain('found: package.json, requirements.txt');
    expect(selectRuntime(files, ALL, 'python3')).toBe('python3');
  });

  it('ignores markers of runtimes the challenge does not accept when one accepted runtime matches', () => {
    expect(selectRuntime(['package.json', 'go.mod'], ['node22'])).toBe('node22');
  });

  it('when only a runtime the challenge does not accept matches, refuses with RUNTIME_NOT_ACCEPTED', () => {
    const r = refusal(() => selectRuntime(['go.mod', 'main.go'], ['node22', 'python3']));
    expect(r.code).toBe('RUNTIME_NOT_ACCEPTED');
    expect(r.message).toContain('found: go.mod');
    expect(r.message).toContain('node22 (package.json), python3 (requirements.txt or pyproject.toml)');
  });

  it('refuses a named runtime the challenge does not accept, or whose marker file is missing', () => {
    expect(refusal(() => selectRuntime(['go.mod'], ['node22'], 'go')).code).toBe('RUNTIME_NOT_ACCEPTED');
    const r = refusal(() => selectRuntime(['main.py'], ALL, 'python3'));
    expect(r.code).toBe('RUNTIME_UNDETERMINED');
    expect(r.message).toContain('python3 needs requirements.txt or pyproject.toml');
  });
});
