import fs from 'node:fs/promises';
import path from 'node:path';
import { applySolutionPatch } from '../../../runner/grading/solution-patch';
import { expectedFailuresSchema, readChallengeSolution } from '../../../runner/grading/validate-challenge';
import { readSolutionDir } from '../../../runner/grading/grade-submission';

const base = new Map([
  ['src/app.js', Buffer.from('const a = 1;\nconst b = 2;\nmodule.exports = { a, b };\n')],
  ['README.md', Buffer.from('hello\n')],
]);

const CHANGE = `diff --git a/src/app.js b/src/app.js
--- a/src/app.js
+++ b/src/app.js
@@ -1,3 +1,3 @@
 const a = 1;
-const b = 2;
+const b = 3;
 module.exports = { a, b };
`;

describe('applySolutionPatch', () => {
  it('changes the patched lines and leaves every other file as it was', () => {
    const out = applySolutionPatch(base, CHANGE, 't');
    expect(out.get('src/app.js')!.toString()).toBe(
      'const a = 1;\nconst b = 3;\nmodule.exports = { a, b };\n',
    );
    expect(out.get('README.md')).toBe(base.get('README.md'));
    expect(base.get('src/app.js')!.toString()).toContain('const b = 2;');
  });

  it('adds a file from /dev/null and deletes one to /dev/null', () => {
    const patch = `--- /dev/null
+++ b/src/new.js
@@ -0,0 +1,1 @@
+new
--- a/README.md
+++ /dev/null
@@ -1,1 +0,0 @@
-hello
`;
    const out = applySolutionPatch(base, patch, 't');
    expect(out.get('src/new.js')!.toString()).toBe('new\n');
    expect(out.has('README.md')).toBe(false);
  });

  it('rejects a hunk that does not match its base instead of guessing', () => {
    expect(() => applySolutionPatch(base, CHANGE.replace('-const b = 2;', '-const b = 9;'), 't')).toThrow(
      /does not apply/,
    );
  });

  it('rejects a patch of a file that is not in the base', () => {
    expect(() => applySolutionPatch(base, CHANGE.replaceAll('src/app.js', 'src/other.js'), 't')).toThrow(
      /not in the base/,
    );
  });

  it('rejects a path that climbs out of the solution', () => {
    const evil = CHANGE.replace('+++ b/src/app.js', '+++ b/../../etc/passwd');
    expect(() => applySolutionPatch(base, evil, 't')).toThrow(/\.\./);
  });
});

describe('orders-api wrong solutions stored as patches over a reference', () => {
  const challengeDir = path.join(__dirname, '../../../challenges/orders-api');

  it('every wrong/<name>/defect.patch applies to its base reference and changes at least one file', async () => {
    const names = await fs.readdir(path.join(challengeDir, 'wrong'));
    expect(names.length).toBeGreaterThanOrEqual(3);
    const bases = new Set<string>();
    for (const name of names) {
      const dir = path.join(challengeDir, 'wrong', name);
      const expected = expectedFailuresSchema.parse(
        JSON.parse(await fs.readFile(path.join(dir, 'expected.json'), 'utf8')),
      );
      bases.add(expected.base);
      const reference = await readSolutionDir(path.join(challengeDir, expected.base));
      const files = await readChallengeSolution(challengeDir, dir);
      const changed = [...files.keys()].filter((k) => !reference.get(k)?.equals(files.get(k)!));
      expect({ name, changes: changed.length > 0 }).toEqual({ name, changes: true });
      expect([...files.keys()].sort()).toEqual([...reference.keys()].sort());
    }
    expect([...bases].sort()).toEqual(['reference', 'reference-go', 'reference-python']);
  });

  it('refuses a base that is not a reference folder', () => {
    const parse = (base: string) =>
      expectedFailuresSchema.safeParse({ fails: ['x'], defect: 'd', base }).success;
    expect(parse('reference-go')).toBe(true);
    expect(parse('../starter')).toBe(false);
    expect(parse('starter')).toBe(false);
  });
});
