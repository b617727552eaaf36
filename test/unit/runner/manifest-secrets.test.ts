/** The manifest's `secrets` (generated per pod, given to the service as variables) and the grader's `SECRETS`. */
import { challengeManifestSchema } from '../../../runner/contract/challenge-manifest.schema';
import { parseSecrets } from '../../../grader/grader-env';

const base = (extra: Record<string, unknown>) => ({
  id: 'demo',
  version: 1,
  title: 'Demo',
  summary: 'demo',
  runtimes: ['node22'],
  services: [{ kind: 'postgres', name: 'db', image: 'db', port: 5432, database: 'd', candidate_role: 'app' }],
  limits: { wall_ms: 60_000, memory_mb: 256, cpus: 1, pids: 64, tmpfs_mb: 16, startup_ms: 10_000 },
  categories: { correctness: 1, api_design: 0, query_optimization: 0, security: 0, performance: 0 },
  validate: { starter_max_score: 40 },
  checks: [{ id: 'c-a', title: 'a', category: 'correctness', weight: 1 }],
  ...extra,
});

describe('secrets of a manifest', () => {
  it('defaults to none, and a secret to 32 bytes', () => {
    expect(challengeManifestSchema.parse(base({})).secrets).toEqual([]);
    expect(challengeManifestSchema.parse(base({ secrets: [{ env: 'JWT_SECRET' }] })).secrets).toEqual([
      { env: 'JWT_SECRET', bytes: 32 },
    ]);
  });

  it.each([
    ['a variable a service already uses', [{ env: 'DATABASE_URL' }]],
    ['one variable twice', [{ env: 'K' }, { env: 'K' }]],
    ['a variable the runner sets', [{ env: 'PORT' }]],
    ['a lower-case name', [{ env: 'jwt_secret' }]],
    ['fewer than 16 bytes', [{ env: 'K', bytes: 8 }]],
  ])('refuses %s', (_label, secrets) => {
    expect(challengeManifestSchema.safeParse(base({ secrets })).success).toBe(false);
  });
});

describe('the grader reading SECRETS', () => {
  it('reads a JSON object of strings, and none when absent', () => {
    expect(parseSecrets('{"JWT_SECRET":"abc"}')).toEqual({ JWT_SECRET: 'abc' });
    expect(parseSecrets(undefined)).toEqual({});
  });

  it.each(['[]', '{"K":1}', 'null', 'not json'])('throws on %s', (text) => {
    expect(() => parseSecrets(text)).toThrow();
  });
});
