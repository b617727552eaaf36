import { mkdir, realpath, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isAppError } from '../../../runner/contract/app-error';
import { ChallengeCatalog, DEFAULT_CHALLENGES_DIR } from '../../../runner/contract/challenge-catalog';
import { manifestFixture, STATEMENT, tempChallengesRoot, writeChallenge } from './fixtures/challenge-fixture';

async function loadError(root: string): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await ChallengeCatalog.load(root);
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('ChallengeCatalog.load accepted an invalid root');
}

describe('ChallengeCatalog', () => {
  let root: string;
  beforeEach(async () => {
    root = await tempChallengesRoot();
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('ChallengeCatalog.load follows a link to a challenge folder elsewhere, to its real path, and skips a broken one', async () => {
    const elsewhere = await tempChallengesRoot();
    try {
      const real = await writeChallenge(elsewhere, 'linked-api');
      await symlink(real, path.join(root, 'linked-api'));
      await symlink(path.join(elsewhere, 'gone'), path.join(root, 'broken'));

      const catalog = await ChallengeCatalog.load(root);

      expect(catalog.list().map((c) => c.id)).toEqual(['linked-api']);
      expect(catalog.get('linked-api')?.dir).toBe(await realpath(real));
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('ChallengeCatalog.load, for valid packages, lists them sorted by id and resolves their paths', async () => {
    await writeChallenge(root, 'zeta-api');
    const dir = await writeChallenge(root, 'alpha-api');
    await mkdir(path.join(root, 'not-a-challenge'));
    await mkdir(path.join(root, '.hidden'));
    await writeFile(path.join(root, 'notes.txt'), 'x');

    const catalog = await ChallengeCatalog.load(root);

    expect(catalog.list().map((c) => c.id)).toEqual(['alpha-api', 'zeta-api']);
    expect(catalog.list()[0]).toEqual({
      id: 'alpha-api',
      version: 2,
      title: 'Challenge alpha-api',
      summary: 'Say hello over HTTP.',
      runtimes: ['node22'],
      categories: { correctness: 70, api_design: 0, query_optimization: 0, security: 30, performance: 0 },
    });
    const loaded = catalog.get('alpha-api');
    expect(loaded).toMatchObject({
      dir,
      statementPath: path.join(dir, 'README.md'),
      starterDir: path.join(dir, 'starter'),
      referenceDir: path.join(dir, 'reference'),
    });
    expect(loaded?.manifest.checks[0]).toMatchObject({ id: 'hello-get', visibility: 'hint' });
    expect(catalog.get('missing')).toBeUndefined();
    expect(catalog.root).toBe(root);
  });

  it('ChallengeCatalog.readStatement, for a known challenge, returns README.md', async () => {
    await writeChallenge(root, 'alpha-api');
    const catalog = await ChallengeCatalog.load(root);
    await expect(catalog.readStatement('alpha-api')).resolves.toBe(STATEMENT);
  });

  it('ChallengeCatalog.readStatement, for an unknown challenge, throws CHALLENGE_NOT_FOUND', async () => {
    const catalog = await ChallengeCatalog.load(root);
    await expect(catalog.readStatement('nope')).rejects.toMatchObject({ code: 'CHALLENGE_NOT_FOUND' });
  });

  it('ChallengeCatalog.readStatement, when README.md is missing, throws MANIFEST_INVALID', async () => {
    const dir = await writeChallenge(root, 'alpha-api');
    await unlink(path.join(dir, 'README.md'));
    const catalog = await ChallengeCatalog.load(root);
    await expect(catalog.readStatement('alpha-api')).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });

  it('ChallengeCatalog.load, when a manifest fails the schema, throws MANIFEST_INVALID naming the file and issues', async () => {
    const manifest = { ...manifestFixture('alpha-api'), runtimes: ['cobol'], version: 0 };
    await writeChallenge(root, 'alpha-api', manifest);
    const err = await loadError(root);
    expect(err.code).toBe('MANIFEST_INVALID');
    expect(err.message).toContain(path.join(root, 'alpha-api', 'challenge.yaml'));
    expect(err.message).toContain('runtimes');
    expect(err.message).toContain('version');
    expect(err.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['runtimes', 0] })]));
  });

  it('ChallengeCatalog.load, when the manifest id differs from its folder, throws MANIFEST_INVALID', async () => {
    await writeChallenge(root, 'alpha-api', manifestFixture('beta-api'));
    const err = await loadError(root);
    expect(err.code).toBe('MANIFEST_INVALID');
    expect(err.message).toMatch(/"beta-api".*"alpha-api"/);
  });

  it('ChallengeCatalog.load, when a manifest is not YAML, throws MANIFEST_INVALID', async () => {
    await writeChallenge(root, 'alpha-api', 'id: [unclosed\n');
    const err = await loadError(root);
    expect(err.code).toBe('MANIFEST_INVALID');
    expect(err.message).toContain('not valid YAML');
  });

  it('ChallengeCatalog.load, when the root does not exist, throws MANIFEST_INVALID', async () => {
    expect((await loadError(path.join(root, 'absent'))).code).toBe('MANIFEST_INVALID');
  });

  it('ChallengeCatalog.load, for an empty root, lists nothing', async () => {
    expect((await ChallengeCatalog.load(root)).list()).toEqual([]);
  });

  it("DEFAULT_CHALLENGES_DIR, by default, is the repository's challenges folder", () => {
    expect(DEFAULT_CHALLENGES_DIR).toBe(path.resolve(__dirname, '..', '..', '..', 'challenges'));
  });
});
