/**
 * The candidate runtimes through the real runner: attack-lab's Python and Go references (real installs from
 * PyPI and the Go module proxy, real pods under gVisor where registered) grade 100 with the runtime and its
 * version in the report, a runtime the solution does not fit is a setup failure, and nothing is left behind.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Docker from 'dockerode';
import { readSolutionDir } from '../../../runner/grading/grade-submission';
import type { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { LABELS } from '../../../runner/sandbox/labels';
import { createTestEnvironment, testWorkerId } from '../../support/test-environment';

const CHALLENGES_DIR = path.resolve(__dirname, '..', '..', 'attacks', 'challenge');
const LAB = path.join(CHALLENGES_DIR, 'attack-lab');
const docker = new Docker();
const worker = testWorkerId('test-runtimes');
let env: GradingEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment({ challengesDir: CHALLENGES_DIR, workerId: worker });
});

afterAll(async () => {
  await env?.close();
});

async function leftContainers(): Promise<number> {
  await env.settleRemovals();
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.worker}=${worker}`] } });
  return list.length;
}

describe('candidate runtimes on attack-lab', () => {
  it.each([
    ['reference-python', 'python3', /^3\.11\.\d+$/],
    ['reference-go', 'go', /^go1\.\d+\.\d+$/],
    ['reference', 'node22', /^22\.\d+\.\d+$/],
  ] as const)(
    '%s is detected as %s, grades 100 and records the runtime version',
    async (dir, id, version) => {
      const report = await env.grade('attack-lab', {
        files: await readSolutionDir(path.join(LAB, dir)),
        submissionId: randomUUID(),
        attempt: 1,
      });
      if (report.status !== 'pass') console.error(report.message, report.service_log, report.tests);
      expect(report.status).toBe('pass');
      expect(report.scores.overall).toBe(100);
      expect(report.runtime?.id).toBe(id);
      expect(report.runtime?.version).toMatch(version);
      expect(await leftContainers()).toBe(0);
    },
  );

  it('a Python submission without Procfile or main.py is a setup failure that says what to add', async () => {
    const files = new Map((await readSolutionDir(path.join(LAB, 'reference-python'))).entries());
    files.set('server.py', files.get('main.py')!);
    files.delete('main.py');
    files.delete('Procfile');
    const report = await env.grade('attack-lab', { files, submissionId: randomUUID(), attempt: 1 });
    expect(report.reason).toBe('setup_failed');
    expect(report.runtime?.id).toBe('python3');
    expect(report.message).toContain('Procfile with a "web:" line, or a main.py');
  });

  it('a submission with both package.json and go.mod is a setup failure naming both, unless its runtime is named', async () => {
    const files = new Map((await readSolutionDir(path.join(LAB, 'reference-go'))).entries());
    files.set('package.json', Buffer.from('{"scripts":{"start":"node x.js"}}'));
    const refused = await env.grade('attack-lab', { files, submissionId: randomUUID(), attempt: 1 });
    expect(refused.reason).toBe('setup_failed');
    expect(refused.runtime).toBeNull();
    expect(refused.message).toContain('found: package.json, go.mod');
    const named = await env.grade('attack-lab', {
      files,
      runtime: 'go',
      submissionId: randomUUID(),
      attempt: 1,
    });
    expect(named.scores.overall).toBe(100);
    expect(await leftContainers()).toBe(0);
  });
});
