/** The manifest's `services`: one schema per engine, the variable each is exposed as, and clashing ports. */
import {
  challengeManifestSchema,
  serviceVariable,
  servicePorts,
} from '../../../runner/contract/challenge-manifest.schema';

const base = (services: unknown[]) => ({
  id: 'demo',
  version: 1,
  title: 'Demo',
  summary: 'demo',
  runtimes: ['node22'],
  services,
  limits: { wall_ms: 60_000, memory_mb: 256, cpus: 1, pids: 64, tmpfs_mb: 16, startup_ms: 10_000 },
  categories: { correctness: 1, api_design: 0, query_optimization: 0, security: 0, performance: 0 },
  validate: { starter_max_score: 40 },
  checks: [{ id: 'c-a', title: 'a', category: 'correctness', weight: 1 }],
});
const pg = { kind: 'postgres', name: 'db', image: 'db', port: 5432, database: 'd', candidate_role: 'app' };

describe('services of a manifest', () => {
  it('accepts one service of each engine, with defaults for the Redis and MongoDB users', () => {
    const m = challengeManifestSchema.parse(
      base([
        pg,
        { kind: 'redis', name: 'cache', port: 6379 },
        { kind: 'mongodb', name: 'docs', port: 27017, database: 'shop' },
      ]),
    );
    expect(m.services.map((s) => [s.kind, serviceVariable(s)])).toEqual([
      ['postgres', 'DATABASE_URL'],
      ['redis', 'REDIS_URL'],
      ['mongodb', 'MONGODB_URL'],
    ]);
    expect(m.services.map((s) => ('candidate_user' in s ? s.candidate_user : s.candidate_role))).toEqual([
      'app',
      'app',
      'app',
    ]);
  });

  it('exposes a service as its own variable when it names one', () => {
    const m = challengeManifestSchema.parse(
      base([pg, { ...pg, name: 'audit', port: 5442, env: 'AUDIT_DATABASE_URL' }]),
    );
    expect(m.services.map(serviceVariable)).toEqual(['DATABASE_URL', 'AUDIT_DATABASE_URL']);
  });

  it.each([
    ['an unknown engine', [{ ...pg, kind: 'mysql' }], 'kind'],
    ['two services on one variable', [pg, { ...pg, name: 'other', port: 5442 }], 'exposed as DATABASE_URL'],
    [
      'a port that is another twin’s',
      [pg, { kind: 'redis', name: 'cache', port: 5433 }],
      'both need port 5433',
    ],
    [
      'a port inside MongoDB’s store range',
      [
        pg,
        { kind: 'mongodb', name: 'docs', port: 27017, database: 's' },
        { kind: 'redis', name: 'c', port: 37018 },
      ],
      'both need port 37018',
    ],
    ['the candidate’s port', [{ ...pg, port: 8080 }], '8080'],
    ['a duplicate name', [pg, { kind: 'redis', name: 'db', port: 6379 }], 'duplicate service name db'],
    ['a lower-case variable', [{ ...pg, env: 'database_url' }], 'environment variable'],
  ])('refuses %s', (_, services, message) => {
    const r = challengeManifestSchema.safeParse(base(services));
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain(message);
  });

  it('reserves the twin’s port, and for MongoDB the store’s two ports', () => {
    expect(servicePorts({ kind: 'redis', name: 'c', port: 6379, candidate_user: 'app' })).toEqual([
      6379, 6380,
    ]);
    expect(
      servicePorts({ kind: 'mongodb', name: 'd', port: 27017, database: 's', candidate_user: 'app' }),
    ).toEqual([27017, 27018, 37017, 37018]);
  });
});
