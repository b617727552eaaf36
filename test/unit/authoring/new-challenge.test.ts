import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lintChallenge } from '../../../runner/authoring/lint-challenge';
import { applyPatch, parsePatch } from 'diff';
import { newChallenge, SCAFFOLDS } from '../../../runner/authoring/new-challenge';

describe('challenge new (files only; test/integration/authoring grades the result)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sg-new-unit-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each(Object.entries(SCAFFOLDS).flatMap(([r, ss]) => ss.map((s) => [r, s])))(
    '%s × %s: a lint-clean package whose hidden tests and $schema line point into this repository',
    async (runtime, service) => {
      const dir = await newChallenge({ id: `u-${runtime}-${service}`, parentDir: root, runtime, service });
      expect(await lintChallenge(dir)).toEqual([]);
      const tests = readFileSync(path.join(dir, 'hidden-tests', 'index.ts'), 'utf8');
      const grader = /from '([^']+\/grader)'/.exec(tests)?.[1];
      expect(existsSync(path.resolve(dir, 'hidden-tests', grader!, 'index.ts'))).toBe(true);
      const schema = /\$schema=(\S+)/.exec(readFileSync(path.join(dir, 'challenge.yaml'), 'utf8'))?.[1];
      expect(existsSync(path.resolve(dir, schema!))).toBe(true);
      const patch = parsePatch(readFileSync(path.join(dir, 'wrong', 'leaky-errors', 'defect.patch'), 'utf8'));
      expect(patch).toHaveLength(1);
      const file = patch[0]!.oldFileName!.replace(/^a\//, '');
      const before = readFileSync(path.join(dir, 'reference', file), 'utf8');
      const after = applyPatch(before, patch[0]!);
      expect(typeof after === 'string' && after !== before).toBe(true);
    },
  );

  it('scaffolds every runtime with every engine', () => {
    expect(SCAFFOLDS).toEqual({
      node22: ['postgres', 'mongodb', 'redis'],
      python3: ['postgres', 'mongodb', 'redis'],
      go: ['postgres', 'mongodb', 'redis'],
    });
  });

  it('refuses an unknown runtime or service, naming what exists, and an invalid id', async () => {
    await expect(
      newChallenge({ id: 'x', parentDir: root, runtime: 'cobol', service: 'postgres' }),
    ).rejects.toThrow(/no templates for runtime cobol; available: node22, python3, go/);
    await expect(
      newChallenge({ id: 'x', parentDir: root, runtime: 'node22', service: 'oracle' }),
    ).rejects.toThrow(/no templates for service oracle on node22; available: postgres, mongodb, redis/);
    await expect(
      newChallenge({ id: 'Bad_Id', parentDir: root, runtime: 'node22', service: 'postgres' }),
    ).rejects.toThrow(/lower-case letters/);
  });
});
