/**
 * Hostile submissions in Python and Go (test/attacks/runtime-submissions/) graded through the real runner
 * against attack-lab, with the assertions of the Node.js cases (sandbox-attacks.test.ts): the verdict,
 * which checks pass, nothing of the run left behind, and the evidence that the limit or the wall held.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { packFiles, readArchive, type SubmissionFiles } from '../../runner/archive';
import type { GradeReport, VerdictReason } from '../../runner/contract/grade-result.schema';
import type { GradingEnvironment } from '../../runner/grading/grading-environment';
import { createAttackEnvironment, gradeAttack, leftoversOf, type AttackRun } from './support/attack-harness';

const SUBMISSIONS = path.join(__dirname, 'runtime-submissions');
const MiB = 1024 * 1024;
let env: GradingEnvironment;
const ran: { name: string; report: GradeReport; ms: number }[] = [];

beforeAll(async () => {
  env = await createAttackEnvironment();
});

afterAll(async () => {
  console.log(
    ran
      .map(
        (r) =>
          `${r.name}: ${r.report.runtime?.id ?? '-'} ${r.report.status}/${r.report.reason ?? '-'} score ${r.report.scores.overall} (${r.ms} ms)`,
      )
      .join('\n'),
  );
  await env?.close();
});

/** Reads `runtime-submissions/<name>/` (plus kit.py for Python) through the upload path. */
async function load(name: string): Promise<SubmissionFiles> {
  const dir = path.join(SUBMISSIONS, name);
  const files = new Map<string, Buffer>();
  for (const f of await fs.readdir(dir)) files.set(f, await fs.readFile(path.join(dir, f)));
  if (name.startsWith('py-')) files.set('kit.py', await fs.readFile(path.join(SUBMISSIONS, 'kit.py')));
  return readArchive({ format: 'tar.gz', data: await packFiles(files) });
}

/** Grades one case: the verdict (reason one of `reasons`, exactly `passed` pass) and nothing left behind. */
async function attack(
  name: string,
  reasons: readonly (VerdictReason | null)[],
  passed: string[],
): Promise<AttackRun> {
  const run = await gradeAttack(env, await load(name), name);
  ran.push({ name, report: run.report, ms: run.ms });
  const r = run.report;
  const got = r.tests.filter((t) => t.status === 'pass').map((t) => t.id);
  if (!reasons.includes(r.reason) || JSON.stringify(got) !== JSON.stringify(passed))
    console.error(name, r.reason, got, r.message, r.service_log?.slice(-2000), run.seen.appStatus);
  expect(r.status).toBe('fail');
  expect(reasons).toContain(r.reason);
  expect(got).toEqual(passed);
  expect(r.message).toEqual(expect.stringMatching(/\S/));
  expect(r.runtime?.id).toBe(name.startsWith('py-') ? 'python3' : 'go');
  expect(await leftoversOf(env, run)).toEqual([]);
  return run;
}

describe('attacks in Python and Go', () => {
  it('python fork bomb: the pids limit holds; the service survives or only its sandbox dies', async () => {
    const run = await attack('py-fork-bomb', [null, 'crashed'], ['c-health']);
    if (run.seen.appPidsLimit !== null)
      expect(run.seen.appPidsMax).toBeLessThanOrEqual(run.seen.appPidsLimit);
  });

  // CPython raises MemoryError in the allocating thread when the sandbox refuses memory, so the service may
  // survive; or the kernel's OOM kill ends it. Either way its usage stays within the limit.
  it('python memory bomb: held at its memory limit (the allocating thread fails, or the service is killed)', async () => {
    const run = await attack('py-memory-bomb', [null, 'memory_limit', 'crashed'], ['c-health']);
    expect(run.seen.appMemoryMaxBytes).toBeLessThanOrEqual(256 * MiB + 32 * MiB);
    if (run.report.reason === 'crashed') expect(run.report.message).toMatch(/exit code 137/);
  });

  it('python egress (TCP to the internet and the bridge gateway, UDP DNS, name resolution): nothing gets out', async () => {
    const run = await attack('py-egress', [null], ['c-health']);
    const res = run.lines.get('py-egress') as Record<string, string>;
    expect(Object.keys(res)).toHaveLength(6);
    for (const [k, v] of Object.entries(res))
      expect([k, v]).not.toEqual([k, expect.stringMatching(/^(connected|answer)/)]);
  });

  it('python writes outside /tmp (its code, its venv, the image, the start command): all refused', async () => {
    const run = await attack('py-write-outside', [null], ['c-health']);
    const res = run.lines.get('py-write-outside') as Record<string, string>;
    expect(Object.keys(res).length).toBe(7);
    for (const [k, v] of Object.entries(res)) expect([k, v]).not.toEqual([k, 'written']);
  });

  it('python dependency from a URL (an sdist whose setup.py would run): refused before any install', async () => {
    const run = await attack('py-dependency-url', ['setup_failed'], []);
    expect(run.report.message).toContain('only names and versions from the package index');
    // No install container ran: the only containers of the run would be its install step's.
    expect(run.seen.containers.size).toBe(0);
  });

  it('go binary ignoring SIGTERM: graded, and its container is still removed', async () => {
    const run = await attack('go-ignore-sigterm', [null], ['c-health']);
    expect(run.lines.get('go-ignore-sigterm')).toEqual({ ignoring: true });
  });

  it('go log flood (400 MiB on stdout and stderr): a bounded log on the host and in the report', async () => {
    const run = await attack('go-log-flood', [null], ['c-health']);
    expect(run.seen.appLogBytesMax).toBeLessThanOrEqual(2 * MiB);
    expect((run.report.service_log ?? '').length).toBeLessThanOrEqual(16 * 1024);
    expect(run.runnerRssGrowth).toBeLessThan(256 * MiB);
  });

  it("go reading the host through /proc and /sys: only the sandbox's own processes, no Docker socket", async () => {
    const run = await attack('go-proc-host', [null], ['c-health']);
    const res = run.lines.get('go-proc-host') as Record<string, string>;
    expect(res.processes).toBeDefined();
    for (const host of ['dockerd', 'containerd', 'redis-server', 'postgres', 'node', 'systemd'])
      expect(res.processes!.split(',')).not.toContain(host);
    expect(res['/var/run/docker.sock']).toMatch(/^error/);
    expect(res['/proc/kcore']).toMatch(/^error/);
  });
});
