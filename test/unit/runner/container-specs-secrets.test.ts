/** The pod's generated secrets in the create options of the candidate's, the reference's and the grader's container. */
import {
  appSpec,
  databaseInstances,
  graderSpec,
  podSecrets,
  referenceStart,
} from '../../../runner/sandbox/container-specs';
import type { PodSetup } from '../../../runner/sandbox/pod-definition';
import type { RuntimeLaunch } from '../../../runner/runtimes/runtime';

const launch: RuntimeLaunch = {
  runtime: 'node22',
  image: 'stackgrade/node22:test',
  dependencyMount: '/deps/node_modules',
  env: ['NODE_ENV=production'],
};

const setup: PodSetup = {
  runId: 'r1',
  submissionId: 's1',
  worker: 'w1',
  deadline: 0,
  images: { owner: 'owner', grader: 'grader', services: { db: 'db' } },
  candidateLaunch: launch,
  services: [{ kind: 'postgres', name: 'db', image: 'db', port: 5432, database: 'd', candidate_role: 'app' }],
  secrets: [{ env: 'JWT_SECRET', bytes: 32 }],
  reference: { codeDir: '/ref', dependenciesDir: null, startCommand: 'node server.js', launch },
  candidateLimits: { memoryMb: 256, cpus: 1, pids: 64, tmpfs: {}, fileSizeMb: 16, nofile: 1024, shmMb: 16 },
  startupMs: 10_000,
  runtime: 'runc',
  graderSeed: 1,
  slotDir: '/slot',
};

describe('podSecrets', () => {
  it('makes `bytes` random bytes per secret as base64url text, new every call', () => {
    const a = podSecrets([{ env: 'JWT_SECRET', bytes: 32 }]);
    expect(Object.keys(a)).toEqual(['JWT_SECRET']);
    expect(Buffer.from(a.JWT_SECRET!, 'base64url')).toHaveLength(32);
    expect(a.JWT_SECRET).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(podSecrets([{ env: 'JWT_SECRET', bytes: 32 }]).JWT_SECRET).not.toBe(a.JWT_SECRET);
  });

  it('is empty without secrets', () => {
    expect(podSecrets()).toEqual({});
    expect(podSecrets([])).toEqual({});
  });
});

describe('secrets in the containers of a pod', () => {
  const secrets = { JWT_SECRET: 'k3y' };
  const dbs = databaseInstances(setup.services, true);

  it('gives the candidate and the reference the same secret as a variable', () => {
    const who = { name: 'app', role: 'app' as const };
    const candidate = appSpec(
      setup,
      'container:x',
      who,
      referenceStart(setup.reference!),
      8080,
      dbs,
      secrets,
    );
    const ref = appSpec(
      setup,
      'container:x',
      { name: 'ref-app', role: 'ref-app' },
      referenceStart(setup.reference!),
      8081,
      dbs.filter((d) => d.twin),
      secrets,
    );
    expect(candidate.Env).toContain('JWT_SECRET=k3y');
    expect(ref.Env).toContain('JWT_SECRET=k3y');
  });

  it('gives the grader every secret as the JSON object SECRETS', () => {
    const spec = graderSpec(
      setup,
      dbs.filter((d) => !d.twin),
      dbs.filter((d) => d.twin),
      'container:x',
      secrets,
    );
    expect(spec.Env).toContain('SECRETS={"JWT_SECRET":"k3y"}');
  });

  it('adds no variable to an app without secrets', () => {
    const spec = appSpec(
      setup,
      'container:x',
      { name: 'app', role: 'app' },
      referenceStart(setup.reference!),
      8080,
      [],
      {},
    );
    expect(spec.Env).toEqual(['PORT=8080', 'HOME=/tmp', 'NODE_ENV=production']);
  });
});
