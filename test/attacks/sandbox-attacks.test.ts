/**
 * The attack suite (docs/sandbox.md, "Attack suite"): hostile submissions graded by the real runner against
 * the tiny attack-lab challenge, in real pods (candidate under gVisor where registered). Each case pins the
 * verdict the submission must get and checks containment from the host; after every case nothing of the run
 * may be left (containers, networks, volumes by its labels; its work folder; escaped host processes), the
 * sentinel files outside the run must be unchanged, the canary listeners must have seen nothing and the
 * host's Redis must not hold the attack's key. Every few cases the reference must still score 100.
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import type { GradeReport, VerdictReason } from '../../runner/contract/grade-result.schema';
import type { GradingEnvironment } from '../../runner/grading/grading-environment';
import { readSolutionDir } from '../../runner/grading/grade-submission';
import {
  ATTACK_CHALLENGES_DIR,
  CHALLENGE_ID,
  createAttackEnvironment,
  gradeAttack,
  leftoversOf,
  loadSubmission,
  Sentinels,
  type AttackRun,
} from './support/attack-harness';
import { CanaryListeners } from './support/canary-listeners';

const MiB = 1024 * 1024;
/**
 * Bytes by which cgroup v1's memory high-water mark (memory.max_usage_in_bytes) may pass the limit: 16 × 4 KiB
 * pages. Under runsc it was seen one page above the limit while the OOM kill of a memory bomb and of an inode
 * flood was under way; memory that escaped the limit would show as MiBs.
 */
const MEMORY_HIGH_WATER_SLACK_BYTES = 64 * 1024;
const CHECK_IDS = ['c-health', 'c-notes-list', 'c-note-create', 'q-notes-list-statements'];

let env: GradingEnvironment;
let canaries: CanaryListeners;
let sentinels: Sentinels;
let redis: Redis;
let starter: GradeReport;
let privilegeProbe: Record<string, string | number | null> | undefined;
let imageEnvKeys: string[] = [];
let inodeProbe: Record<string, { files: number; error: string | null }> | undefined;
const redisKey = `stackgrade-attack-${crypto.randomUUID()}`;
const hostSecret = `sg-host-secret-${crypto.randomBytes(12).toString('hex')}`;
let secretFile: string;
const ran: { name: string; report: GradeReport; ms: number }[] = [];

beforeAll(async () => {
  // A secret in the runner's own environment and a file: neither may ever reach a candidate.
  process.env.STACKGRADE_ATTACK_HOST_SECRET = hostSecret;
  secretFile = path.join(os.tmpdir(), `stackgrade-attack-secret-${crypto.randomUUID()}`);
  await fs.writeFile(secretFile, hostSecret, { mode: 0o600 });
  env = await createAttackEnvironment();
  imageEnvKeys = (
    (await env.ctx.docker.getImage(env.ctx.runtimeImages.node22).inspect()).Config.Env ?? []
  ).map((e) => e.split('=')[0]!);
  canaries = await CanaryListeners.start();
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  await redis.connect();
  await fs.mkdir(path.join(env.ctx.config.STACKGRADE_HOME, 'work'), { recursive: true });
  sentinels = await Sentinels.plant(
    [os.tmpdir(), env.ctx.config.STACKGRADE_HOME],
    [secretFile, path.join(ATTACK_CHALLENGES_DIR, CHALLENGE_ID, 'hidden-tests', 'index.ts')],
  );
  starter = (
    await gradeAttack(
      env,
      await readSolutionDir(path.join(ATTACK_CHALLENGES_DIR, CHALLENGE_ID, 'starter')),
      'starter',
    )
  ).report;
});

afterAll(async () => {
  console.log(
    ran
      .map(
        (r) =>
          `${r.name}: ${r.report.status}/${r.report.reason ?? '-'} score ${r.report.scores.overall} (${r.ms} ms)`,
      )
      .join('\n'),
  );
  await env?.close();
  await sentinels?.remove();
  await canaries?.close();
  await redis?.quit();
  if (secretFile) await fs.rm(secretFile, { force: true });
});

/** The verdict a case must get: status, reason and exactly which checks pass. */
interface Verdict {
  status: GradeReport['status'];
  /** The reason, or the reasons any one of which is right (where the runtime's race decides). */
  reason: VerdictReason | null | readonly (VerdictReason | null)[];
  passed: string[];
}
const HEALTH_ONLY: Verdict = { status: 'fail', reason: null, passed: ['c-health'] };
const NOTHING = (reason: VerdictReason): Verdict => ({ status: 'fail', reason, passed: [] });
const CRASHED_AFTER_HEALTH: Verdict = { status: 'fail', reason: 'crashed', passed: ['c-health'] };

/** Grades a submission and asserts its verdict and every after-run invariant; returns the run. */
async function attack(
  name: string,
  verdict: Verdict,
  extra: Record<string, string | Buffer> = {},
): Promise<AttackRun> {
  const run = await gradeAttack(env, await loadSubmission(name, extra), name);
  ran.push({ name, report: run.report, ms: run.ms });
  const r = run.report;
  const passed = r.tests.filter((t) => t.status === 'pass').map((t) => t.id);
  const got = { status: r.status, reason: r.reason, passed };
  const reasons = Array.isArray(verdict.reason) ? verdict.reason : [verdict.reason];
  const want = { ...verdict, reason: reasons.includes(r.reason) ? r.reason : verdict.reason };
  if (JSON.stringify(got) !== JSON.stringify(want))
    console.error(
      name,
      got,
      r.message,
      r.tests.map((t) => [t.id, t.status, t.message]),
      r.service_log?.slice(-3000),
      run.seen.appStatus,
    );
  expect(got).toEqual(want);
  // Every verdict other than a pass explains itself to the candidate.
  if (r.status !== 'pass') expect(r.message).toEqual(expect.stringMatching(/\S/));
  // A hostile submission never scores above the honest /health-only starter unless its service really works.
  if (!passed.some((id) => id !== 'c-health'))
    expect(r.scores.overall).toBeLessThanOrEqual(starter.scores.overall);
  // After the run: nothing left, nothing outside touched, no egress, no write to the host's Redis.
  expect(await leftoversOf(env, run)).toEqual([]);
  expect(await sentinels.changed()).toEqual([]);
  expect(canaries.hits).toEqual([]);
  expect(await redis.get(redisKey)).toBeNull();
  expect(r.service_log ?? '').not.toContain(hostSecret);
  return run;
}

async function referenceStillScores100(): Promise<void> {
  const run = await gradeAttack(
    env,
    await readSolutionDir(path.join(ATTACK_CHALLENGES_DIR, CHALLENGE_ID, 'reference')),
    'reference',
  );
  ran.push({ name: 'reference', report: run.report, ms: run.ms });
  expect(run.report.status).toBe('pass');
  expect(run.report.scores.overall).toBe(100);
  expect(await leftoversOf(env, run)).toEqual([]);
}

const targets = (): string =>
  JSON.stringify({
    token: crypto.randomBytes(6).toString('hex'),
    tcp: canaries.tcp,
    udp: canaries.udp,
    dns: canaries.udp.map((t) => `${t.host}:${t.port}`),
    hosts: canaries.hosts,
    redisKey,
  });

describe('hostile submissions graded by the real runner', () => {
  it('the starter (/health only) is the baseline: it passes c-health only', () => {
    expect(starter.status).toBe('fail');
    expect(starter.tests.filter((t) => t.status === 'pass').map((t) => t.id)).toEqual(['c-health']);
    expect(CHECK_IDS).toEqual(starter.tests.map((t) => t.id));
  });

  it('the reference scores 100 before any attack', referenceStillScores100);

  // Under gVisor every guest process costs host threads of the sandbox, and reaching PidsLimit kills the
  // whole sandbox (runsc exits 2) instead of failing fork with EAGAIN: the bomb ends its own service.
  it('fork bomb: the pids limit holds and the bomb only brings down its own sandbox (crashed)', async () => {
    const run = await attack('fork-bomb', CRASHED_AFTER_HEALTH);
    if (run.seen.appPidsLimit !== null)
      expect(run.seen.appPidsMax).toBeLessThanOrEqual(run.seen.appPidsLimit);
    expect(run.lines.get('fork-bomb')).toBeDefined();
  });

  // Whether the threads first exhaust memory, the pids limit (which kills the gVisor sandbox) or nothing
  // (Worker creation fails and the service goes on) is a race; each is a contained candidate outcome.
  it('thread bomb: the pids and memory limits hold; the service survives or only its sandbox dies', async () => {
    const run = await attack('thread-bomb', {
      status: 'fail',
      reason: [null, 'crashed', 'memory_limit'],
      passed: ['c-health'],
    });
    if (run.seen.appPidsLimit !== null)
      expect(run.seen.appPidsMax).toBeLessThanOrEqual(run.seen.appPidsLimit);
  });

  // Containment holds every time (usage never passes the limit). Attribution does not: under runsc Docker
  // sometimes reports the kernel's OOM kill of the sandbox as a plain exit 137 (State.OOMKilled false), and
  // the report then says `crashed (exit code 137)` instead of `memory_limit`. That runner gap is accepted here
  // only with the evidence that it was the memory limit (137 and usage at the limit) and is in the report.
  it('memory bomb: killed at its memory limit (memory_limit, or crashed 137 at the limit under runsc)', async () => {
    const run = await attack('memory-bomb', {
      status: 'fail',
      reason: ['memory_limit', 'crashed'],
      passed: ['c-health'],
    });
    expect(run.seen.appMemoryMaxBytes).toBeLessThanOrEqual(256 * MiB + MEMORY_HIGH_WATER_SLACK_BYTES);
    if (run.report.reason === 'crashed') {
      expect(run.report.message).toMatch(/exit code 137/);
      expect(run.seen.appMemoryMaxBytes).toBeGreaterThan(0.9 * 256 * MiB);
    }
  });

  // Docker records a candidate's exit some time after its port closed (a gVisor sandbox's exit, hundreds of ms
  // under load), and the grader's checks against a closed port end at once. The grader then reports the
  // service down and the runner waits for the exit (CANDIDATE_EXIT_GRACE_MS) instead of reading the container
  // as running: without that wait this case was graded a plain fail.
  it('port closed, exit 2 s later: crashed, not a plain fail (the runner waits for the exit)', async () => {
    const run = await attack('exit-late', CRASHED_AFTER_HEALTH);
    expect(run.report.message).toMatch(/exit code 3/);
  });

  it('port closed, process kept alive: a plain fail once the wait for an exit ran out', async () => {
    const run = await attack('close-port', HEALTH_ONLY);
    expect(run.lines.get('close-port')).toEqual({ closed: true });
  });

  // Four spinning threads against a 1-CPU CFS quota; whether the kernel records throttling depends on how
  // much CPU the loaded 2-core host gives the sandbox, so the quota itself is what is asserted.
  it('CPU spin: held to its CPU quota, never answers, setup_failed after startup_ms', async () => {
    const run = await attack('cpu-spin', NOTHING('setup_failed'));
    expect(run.seen.appCpuQuota).toBeGreaterThan(0);
    expect(run.seen.appCpuQuota).toBeLessThanOrEqual(1);
  });

  it('never listening: setup_failed with a message naming /health', async () => {
    const run = await attack('never-listens', NOTHING('setup_failed'));
    expect(run.report.message).toMatch(/GET \/health/);
  });

  it('hanging every response: the wall-clock limit ends the run with time_limit', async () => {
    await attack('hang-response', { status: 'fail', reason: 'time_limit', passed: ['c-health'] });
  });

  it('ignoring SIGTERM (shell trap and node handlers): the container is still removed', async () => {
    await attack('ignore-sigterm', HEALTH_ONLY);
  });

  it('zombie flood and setsid/nohup daemons: no process outlives the run', async () => {
    // Launched after /health; even these few processes can reach the pids limit under gVisor (each guest
    // process costs 10-15 host threads), which kills the sandbox: crashed. Either way nothing survives.
    await attack('zombie-flood', { status: 'fail', reason: [null, 'crashed'], passed: ['c-health'] });
  });

  it('the reference still scores 100 after the resource attacks', referenceStillScores100);

  it('disk fill in /tmp, $HOME, cwd, /var/tmp, /dev/shm, /: bounded tmpfs, read-only elsewhere, no layer growth', async () => {
    const run = await attack('disk-fill', HEALTH_ONLY);
    const res = run.lines.get('disk-fill') as Record<string, { bytes: number; error: string | null }>;
    for (const [where, v] of Object.entries(res)) {
      expect([where, v.error]).not.toEqual([where, null]);
      expect(v.bytes).toBeLessThanOrEqual(16 * MiB);
    }
    expect(run.seen.appSizeRwMax).toBeLessThan(MiB);
  });

  it('inode fill: the service survives and the sandbox stays within its memory limit', async () => {
    const run = await attack('inode-fill', HEALTH_ONLY);
    inodeProbe = run.lines.get('inode-fill') as Record<string, { files: number; error: string | null }>;
    expect(inodeProbe['/tmp']).toBeDefined();
    expect(run.seen.appMemoryMaxBytes).toBeLessThanOrEqual(256 * MiB + MEMORY_HIGH_WATER_SLACK_BYTES);
  });

  // NOT CONTAINED under gVisor (an inode cap should give ENOSPC; docs/sandbox.md, "Threat model"): runsc's
  // tmpfs ignores the nr_inodes=16384 mount option (its /proc/mounts shows only size and mode), so the number
  // of files is bounded only by the container's memory limit. Marked `failing` so it turns red once fixed.
  it.failing('NOT CONTAINED under runsc: file creation in /tmp stops at the tmpfs inode cap (ENOSPC)', () => {
    expect(inodeProbe?.['/tmp']?.error).toBe('ENOSPC');
    expect(inodeProbe?.['/tmp']?.files).toBeLessThanOrEqual(16384);
  });

  // What does bound the file count under runsc (the case above stays failing): no runsc flag limits tmpfs
  // inodes (`runsc flags`: --overlay2 only picks the overlay medium, --fdlimit counts host FDs), but every
  // inode costs sentry memory inside the container's memory cgroup. A flood with no count cap ends at the
  // memory limit (measured: ~115 000 empty files, killed at 256 MiB after ~19 s), gets a verdict, and no
  // file reaches the host's disk (Docker's root and /tmp share one filesystem here).
  it('inode flood with no count cap: bounded by the memory limit, a verdict, host inodes unchanged', async () => {
    const inodesUsed = async (): Promise<number> => {
      let used = 0;
      for (const dir of ['/var/lib/docker', os.tmpdir()]) {
        const st = await fs.statfs(dir);
        used += st.files - st.ffree;
      }
      return used;
    };
    const before = await inodesUsed();
    const run = await attack('inode-flood', {
      status: 'fail',
      reason: [null, 'crashed', 'memory_limit', 'time_limit'],
      passed: ['c-health'],
    });
    const hostDelta = (await inodesUsed()) - before;
    const res = run.lines.get('inode-flood') as { files: number; error: string | null };
    console.log(
      `inode flood: ${res.files} files (${res.error ?? 'no error'}), ${run.report.reason ?? 'no reason'}, host inodes +${hostDelta}`,
    );
    // Past the 16 384 nr_inodes the mount asks for: the cap is not what stopped it.
    expect(res.files).toBeGreaterThan(16384);
    expect(run.seen.appMemoryMaxBytes).toBeLessThanOrEqual(256 * MiB + MEMORY_HIGH_WATER_SLACK_BYTES);
    if (run.report.reason === 'crashed' || run.report.reason === 'memory_limit')
      expect(run.seen.appMemoryMaxBytes).toBeGreaterThan(0.9 * 256 * MiB);
    // Other work on this machine adds inodes too; the flood's own files would add at least `files`.
    expect(hostDelta).toBeLessThan(res.files / 2);
  });

  it('file-descriptor exhaustion: EMFILE at the nofile limit, the grader unaffected', async () => {
    const run = await attack('fd-exhaustion', HEALTH_ONLY);
    const res = run.lines.get('fd-exhaustion') as { opened: number; error: string };
    expect(res.error).toBe('EMFILE');
    expect(res.opened).toBeLessThanOrEqual(1024);
  });

  it('output flood: 128 MiB of output leaves a bounded log on the host and in the report', async () => {
    const run = await attack('output-flood', HEALTH_ONLY);
    expect(run.seen.appLogBytesMax).toBeLessThanOrEqual(2 * MiB);
    expect((run.report.service_log ?? '').length).toBeLessThanOrEqual(16 * 1024);
    expect(run.runnerRssGrowth).toBeLessThan(256 * MiB);
  });

  it('forged @@stackgrade events on stdout, stderr and init stdout change nothing', async () => {
    const run = await attack('forged-events', HEALTH_ONLY);
    expect(run.report.scores.overall).toBe(starter.scores.overall);
    for (const t of run.report.tests) expect(JSON.stringify(t.evidence ?? null)).not.toContain('forged');
  });

  it('egress (TCP, HTTP, UDP, DNS) to canaries on the bridge gateway and the host IP: nothing arrives', async () => {
    expect(canaries.tcp.length).toBeGreaterThanOrEqual(2);
    const run = await attack('egress', HEALTH_ONLY, { 'targets.json': targets() });
    const res = run.lines.get('egress') as Record<string, string>;
    expect(Object.keys(res).length).toBeGreaterThanOrEqual(canaries.tcp.length * 2 + canaries.udp.length);
    for (const [k, v] of Object.entries(res))
      expect([k, v]).not.toEqual([k, expect.stringMatching(/^(connected|http|answer)/)]);
  });

  it('raw sockets through a shipped binary (direct, copied to /tmp, via ld.so): no raw or packet socket', async () => {
    const bin = path.join(os.tmpdir(), `rawsock-${crypto.randomUUID()}`);
    execFileSync('gcc', ['-O1', '-o', bin, path.join(__dirname, 'submissions', 'raw-socket', 'rawsock.c')]);
    try {
      const run = await attack('raw-socket', HEALTH_ONLY, {
        rawsock: await fs.readFile(bin),
        'targets.json': targets(),
      });
      const res = run.lines.get('raw-socket') as Record<string, string>;
      expect(res.capEff).toBe('0000000000000000');
      for (const k of ['direct', 'copy', 'loader']) expect(res[k]).not.toMatch(/raw:opened|packet:opened/);
    } finally {
      await fs.rm(bin, { force: true });
    }
  });

  it("the host's Redis, FerretDB and Docker API/socket are unreachable", async () => {
    const run = await attack('host-services', HEALTH_ONLY, { 'targets.json': targets() });
    const res = run.lines.get('host-services') as Record<string, string>;
    for (const [k, v] of Object.entries(res)) expect([k, v]).not.toEqual([k, 'connected']);
  });

  it('the reference still scores 100 after the network attacks', referenceStillScores100);

  it('host environment and secrets: only the allowlisted variables, no host secret, no runner state', async () => {
    const run = await attack('env-secrets', HEALTH_ONLY);
    const res = run.lines.get('env-secrets') as {
      env: Record<string, string>;
      stackgrade: unknown;
      shadow: string;
    };
    expect(Object.keys(res.env).sort()).toEqual(expect.arrayContaining(['DATABASE_URL', 'PORT']));
    // The runner's allowlist (pod.ts serviceEnv), Docker's HOSTNAME, and what the runtime image itself sets.
    const allowed = ['DATABASE_URL', 'HOME', 'HOSTNAME', 'NODE_ENV', 'PATH', 'PORT', 'PWD', ...imageEnvKeys];
    for (const k of Object.keys(res.env)) expect(allowed).toContain(k);
    expect(JSON.stringify(res)).not.toContain('stackgrade_admin');
    expect(new URL(res.env.DATABASE_URL!).username).toBe('app');
    expect(res.stackgrade).toMatch(/^ERR/);
    expect(res.shadow).toMatch(/^ERR/);
  });

  it('the hidden tests and the grader process are invisible to the candidate', async () => {
    const run = await attack('hidden-tests', HEALTH_ONLY);
    const res = run.lines.get('hidden-tests') as {
      found: string[];
      graderProcs: string[];
      optGrader: string[] | null;
      visited: number;
    };
    expect(res.visited).toBeGreaterThan(100);
    expect(res.found).toEqual([]);
    expect(res.graderProcs).toEqual([]);
    // The shared node22 image has an empty /opt/grader (the grader image's mount point); nothing is in it.
    expect(res.optGrader ?? []).toEqual([]);
  });

  it("another run's files: a second run sees none of the first run's markers, and no work folders", async () => {
    const first = await attack('cross-run', HEALTH_ONLY);
    const second = await attack('cross-run', HEALTH_ONLY);
    for (const run of [first, second]) {
      const res = run.lines.get('cross-run') as { seen: Record<string, boolean>; otherRuns: unknown };
      expect(res.seen).toEqual({ tmp: false, shm: false, abstractSocket: false });
      expect(res.otherRuns).toBe('ENOENT');
    }
  });

  it('privilege escalation: uid 10001, no capabilities, setuid/su/mount all refused', async () => {
    const run = await attack('privilege-escalation', HEALTH_ONLY);
    const res = run.lines.get('privilege-escalation') as Record<string, string | number | null>;
    privilegeProbe = res;
    expect(res.uid).toBe(10001);
    expect(res.idAfter).toBe('10001');
    expect(res.capEff).toBe('0000000000000000');
    expect(res.capPrm).toBe('0000000000000000');
    expect(res.setuid0).toBe('EPERM');
    for (const k of ['su', 'mount']) expect([k, res[k]]).toEqual([k, expect.stringMatching(/^fail/)]);
  });

  // Contained since candidates run under runsc-seccomp (runsc --oci-seccomp) with the candidate profile
  // (runner/sandbox/seccomp/README.md); under plain runsc both succeeded inside the gVisor kernel.
  it('user namespaces (unshare -Ur, then mount inside it) are refused', () => {
    expect(privilegeProbe).toBeDefined();
    expect(privilegeProbe!.unshare).toMatch(/^fail .*Operation not permitted/);
    expect(privilegeProbe!.unshareMount).toMatch(/^fail .*Operation not permitted/);
  });

  it('escape syscalls (namespaces, clone3, mount, keyrings, bpf, perf, ptrace, io_uring, AF_ALG/AF_VSOCK…) are refused; threads and plain clone work', async () => {
    const bin = path.join(os.tmpdir(), `escsys-${crypto.randomUUID()}`);
    execFileSync('gcc', [
      '-O1',
      '-o',
      bin,
      path.join(__dirname, 'submissions', 'escape-syscalls', 'escsys.c'),
    ]);
    try {
      const run = await attack('escape-syscalls', HEALTH_ONLY, { escsys: await fs.readFile(bin) });
      const res = run.lines.get('escape-syscalls') as Record<string, string | number>;
      // Attribution: the probe ran, the service's threads work and an ordinary clone() is allowed.
      expect(res).toMatchObject({ clonePlain: 'ok', socketInet: 'ok', workerThread: 42 });
      // clone3 must be ENOSYS (glibc then falls back to clone(), whose flags seccomp can read).
      expect(res.clone3).toBe('ENOSYS');
      const refused = [
        ...['unshareUser', 'unshareMount', 'unshareNet', 'cloneUser', 'setns', 'mount', 'keyctl', 'addKey'],
        ...['bpf', 'perfEventOpen', 'ptrace', 'ioUringSetup', 'openByHandleAt', 'userfaultfd'],
        ...['socketAlg', 'socketVsock', 'clockSettime'],
      ];
      for (const k of refused) expect([k, res[k]]).toEqual([k, 'EPERM']);
    } finally {
      await fs.rm(bin, { force: true });
    }
  });

  it("binding the database's port first is impossible (the database is up before the service starts)", async () => {
    const run = await attack('port-squat', HEALTH_ONLY);
    const res = run.lines.get('port-squat') as Record<string, string>;
    expect(res['127.0.0.1:5432']).toBe('EADDRINUSE');
    expect(res['0.0.0.0:5432']).toBe('EADDRINUSE');
  });

  // The app SIGKILLs every process it sees (its own shell included, so tini exits) and its own init: that
  // ends its own container, while the grader, in another PID namespace, goes on and reports it crashed.
  it('killing and flooding the grader: it lives in another PID namespace, listens nowhere and finishes', async () => {
    const run = await attack('kill-grader', CRASHED_AFTER_HEALTH);
    const res = run.lines.get('kill-grader') as { open: number[]; pids: number[] };
    expect(res.open).toContain(5432);
    expect(res.open).not.toContain(8081);
    // It sees only its own few processes (tini, its shell, itself, children): not the grader's.
    expect(res.pids.length).toBeLessThan(10);
    expect(run.report.tests.filter((t) => t.status === 'error')).toEqual([]);
  });

  it('the reference still scores 100 after the grader attacks', referenceStillScores100);

  it('response bombs (endless chunked body, 1 byte/s): the grader caps the body and bounds each request', async () => {
    // Each request has a total deadline (10 s), so a 1 byte/s trickle fails its check instead of holding it;
    // with several checks each waiting out a trickle, the wall-clock limit may still end the run first.
    await attack('response-bomb', { status: 'fail', reason: [null, 'time_limit'], passed: ['c-health'] });
  });

  it('database connection flood: the grader still connects (reserved superuser slots) and grades', async () => {
    const run = await attack('db-connection-flood', HEALTH_ONLY);
    expect((run.lines.get('db-connection-flood') as { held: number }).held).toBeGreaterThan(10);
  });

  it('tampering with statistics, roles, the canary and the grader connections cannot hide an N+1', async () => {
    const run = await attack('db-tamper', {
      status: 'fail',
      reason: null,
      passed: ['c-health', 'c-notes-list', 'c-note-create'],
    });
    const res = run.lines.get('db-tamper') as Record<string, string>;
    for (const k of [
      'reset',
      'trackNone',
      'alterSystem',
      'dropView',
      'dropExtension',
      'superuser',
      'setRole',
      'sessionAuth',
      'canary',
      'readCanary',
      'program',
      'readFile',
      'createRole',
    ])
      expect([k, res[k]]).toEqual([k, expect.stringMatching(/^ERR/)]);
    const q = run.report.tests.find((t) => t.id === 'q-notes-list-statements')!;
    expect(q.message).toMatch(/ran \d+ statements, expected 1/);
  });

  it('a dependency from a URL is refused before any container starts (setup_failed)', async () => {
    await attack('dependency-url', NOTHING('setup_failed'));
  });

  it('a lockfile resolving outside the registry is refused (setup_failed)', async () => {
    await attack('lockfile-elsewhere', NOTHING('setup_failed'));
  });

  it('the reference still scores 100 after every attack', referenceStillScores100);
});
