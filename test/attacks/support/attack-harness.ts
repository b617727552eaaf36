/**
 * Harness of the attack suite (docs/sandbox.md, "Attack suite"): grades hostile submissions through the real
 * runner (GradingEnvironment → gradeSubmission → real Docker pods, the candidate under gVisor where
 * registered) against the tiny `attack-lab` challenge, watches each run from the host (cgroup files,
 * container size and log file) and checks, after every run, that nothing of it is left and nothing outside it
 * changed.
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { packFiles, readArchive, type SubmissionFiles } from '../../../runner/archive';
import { loadRunnerConfig } from '../../../runner/config';
import { gradeReportSchema, type GradeReport } from '../../../runner/contract/grade-result.schema';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { slotsRoot, workerRoot } from '../../../runner/grading/work-folders';
import { logger } from '../../../runner/lib/logger';
import { LABELS } from '../../../runner/sandbox/labels';

/** Folder holding `attack-lab`, loaded as CHALLENGES_DIR (the runner's own catalog and image code path). */
export const ATTACK_CHALLENGES_DIR = path.resolve(__dirname, '..', 'challenge');
export const CHALLENGE_ID = 'attack-lab';
const SUBMISSIONS_DIR = path.resolve(__dirname, '..', 'submissions');
/** Lockfile of orders-api's reference: submissions with the same dependencies reuse its cached install. */
const SHARED_LOCKFILE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'challenges',
  'orders-api',
  'reference',
  'package-lock.json',
);

/** The runner configured for the suite: attack-lab only, quiet logs. */
export async function createAttackEnvironment(): Promise<GradingEnvironment> {
  const config = loadRunnerConfig({ ...process.env, CHALLENGES_DIR: ATTACK_CHALLENGES_DIR });
  return GradingEnvironment.create(
    config,
    logger.child({}, { level: process.env.ATTACK_LOG_LEVEL ?? 'fatal' }),
  );
}

/**
 * Reads `test/attacks/submissions/<name>/`, adds the shared `kit.js`, the shared lockfile when the package
 * declares dependencies, and `extra` files, then goes through the upload path: packed as tar.gz and read
 * back with readArchive (limits, name checks).
 */
export async function loadSubmission(
  name: string,
  extra: Record<string, string | Buffer> = {},
): Promise<SubmissionFiles> {
  const dir = path.join(SUBMISSIONS_DIR, name);
  const files = new Map<string, Buffer>();
  for (const f of await fs.readdir(dir)) files.set(f, await fs.readFile(path.join(dir, f)));
  files.set('kit.js', await fs.readFile(path.join(SUBMISSIONS_DIR, 'kit.js')));
  const pkg = JSON.parse(files.get('package.json')!.toString('utf8')) as { dependencies?: object };
  if (pkg.dependencies && !files.has('package-lock.json'))
    files.set('package-lock.json', await fs.readFile(SHARED_LOCKFILE));
  for (const [k, v] of Object.entries(extra)) files.set(k, Buffer.isBuffer(v) ? v : Buffer.from(v));
  return readArchive({ format: 'tar.gz', data: await packFiles(files) });
}

/** What the host saw of a run's candidate container while it ran (maxima over 250 ms samples). */
export interface RunObservation {
  /** Ids of every container of the run seen while it ran. */
  containers: Set<string>;
  /** Named volumes mounted by those containers. */
  volumes: Set<string>;
  appPidsMax: number;
  appPidsLimit: number | null;
  appThrottled: number;
  /** CFS quota ÷ period of the candidate's cgroup, in CPUs (0 when never read). */
  appCpuQuota: number;
  appMemoryMaxBytes: number;
  appSizeRwMax: number;
  appLogBytesMax: number;
  /** Last Docker status line of the candidate's container (e.g. `Exited (2) 1 second ago`). */
  appStatus: string | null;
  samples: number;
}

/** One graded attack. */
export interface AttackRun {
  submissionId: string;
  report: GradeReport;
  ms: number;
  seen: RunObservation;
  /** `ATTACK <label> <json>` lines the submission printed, by label (self-reports; never trusted alone). */
  lines: Map<string, unknown>;
  runnerRssGrowth: number;
}

const readNum = async (p: string): Promise<number | null> => {
  try {
    return Number((await fs.readFile(p, 'utf8')).trim().split('\n')[0]);
  } catch {
    return null;
  }
};

async function sample(docker: Docker, submissionId: string, seen: RunObservation): Promise<void> {
  const list = await docker.listContainers({
    all: true,
    size: true,
    filters: { label: [`${LABELS.submission}=${submissionId}`] },
  });
  seen.samples++;
  for (const c of list) {
    seen.containers.add(c.Id);
    for (const m of c.Mounts ?? []) if (m.Type === 'volume' && m.Name) seen.volumes.add(m.Name);
    if (c.Labels[LABELS.role] !== 'app') continue;
    seen.appStatus = c.Status;
    seen.appSizeRwMax = Math.max(
      seen.appSizeRwMax,
      (c as Docker.ContainerInfo & { SizeRw?: number }).SizeRw ?? 0,
    );
    const pids = await readNum(`/sys/fs/cgroup/pids/docker/${c.Id}/pids.current`);
    if (pids !== null) seen.appPidsMax = Math.max(seen.appPidsMax, pids);
    const limit = await fs.readFile(`/sys/fs/cgroup/pids/docker/${c.Id}/pids.max`, 'utf8').catch(() => null);
    if (limit !== null) seen.appPidsLimit = limit.trim() === 'max' ? Infinity : Number(limit);
    const mem = await readNum(`/sys/fs/cgroup/memory/docker/${c.Id}/memory.max_usage_in_bytes`);
    if (mem !== null) seen.appMemoryMaxBytes = Math.max(seen.appMemoryMaxBytes, mem);
    const cpu = await fs.readFile(`/sys/fs/cgroup/cpu/docker/${c.Id}/cpu.stat`, 'utf8').catch(() => '');
    const thr = /nr_throttled (\d+)/.exec(cpu);
    if (thr) seen.appThrottled = Math.max(seen.appThrottled, Number(thr[1]));
    const quota = await readNum(`/sys/fs/cgroup/cpu/docker/${c.Id}/cpu.cfs_quota_us`);
    const period = await readNum(`/sys/fs/cgroup/cpu/docker/${c.Id}/cpu.cfs_period_us`);
    if (quota !== null && period) seen.appCpuQuota = quota / period;
    const log = await fs
      .stat(`/var/lib/docker/containers/${c.Id}/local-logs/container.log`)
      .catch(() => null);
    if (log) seen.appLogBytesMax = Math.max(seen.appLogBytesMax, log.size);
  }
}

/** Parses the `ATTACK <label> <json>` lines of a service log. */
export function attackLines(log: string | null): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const line of (log ?? '').split('\n')) {
    const m = /^ATTACK (\S+) (.*)$/.exec(line);
    if (!m) continue;
    try {
      out.set(m[1]!, JSON.parse(m[2]!));
    } catch {
      out.set(m[1]!, m[2]);
    }
  }
  return out;
}

/**
 * Grades `files` as a new submission of attack-lab, sampling the run from the host, and returns the
 * validated report. Throws when the runner throws (a crash of the runner is a failed case).
 */
export async function gradeAttack(
  env: GradingEnvironment,
  files: SubmissionFiles,
  name: string,
): Promise<AttackRun> {
  const docker = env.ctx.docker;
  const submissionId = `${crypto.randomBytes(4).toString('hex')}-attack-${name}`;
  const seen: RunObservation = {
    containers: new Set(),
    volumes: new Set(),
    appPidsMax: 0,
    appPidsLimit: null,
    appThrottled: 0,
    appCpuQuota: 0,
    appMemoryMaxBytes: 0,
    appSizeRwMax: 0,
    appLogBytesMax: 0,
    appStatus: null,
    samples: 0,
  };
  const rss0 = process.memoryUsage.rss();
  let rssMax = rss0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sample(docker, submissionId, seen).catch(() => undefined);
      rssMax = Math.max(rssMax, process.memoryUsage.rss());
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const t0 = Date.now();
  try {
    const report = gradeReportSchema.parse(
      await env.grade(CHALLENGE_ID, { files, submissionId, attempt: 1 }),
    );
    await env.settleRemovals(); // the pod's containers are removed off the critical path; wait before checking

    return {
      submissionId,
      report,
      ms: Date.now() - t0,
      seen,
      lines: attackLines(report.service_log),
      runnerRssGrowth: rssMax - rss0,
    };
  } finally {
    sampling = false;
    await sampler;
  }
}

/** Files outside every run whose content and mtime must never change. */
export class Sentinels {
  private constructor(private readonly files: Map<string, { hash: string; mtimeMs: number }>) {}

  /** Writes a random sentinel into `dirs` (each must exist) and also watches `watch` (existing files). */
  static async plant(dirs: string[], watch: string[]): Promise<Sentinels> {
    const files = new Map<string, { hash: string; mtimeMs: number }>();
    for (const d of dirs) {
      const p = path.join(d, `.stackgrade-attack-sentinel-${crypto.randomUUID()}`);
      await fs.writeFile(p, crypto.randomBytes(64).toString('hex'), { mode: 0o600 });
      files.set(p, { hash: '', mtimeMs: 0 });
    }
    for (const w of watch) files.set(w, { hash: '', mtimeMs: 0 });
    for (const p of files.keys()) files.set(p, await Sentinels.stateOf(p));
    return new Sentinels(files);
  }

  private static async stateOf(p: string): Promise<{ hash: string; mtimeMs: number }> {
    const [data, st] = await Promise.all([fs.readFile(p), fs.stat(p)]);
    return { hash: crypto.createHash('sha256').update(data).digest('hex'), mtimeMs: st.mtimeMs };
  }

  /** Paths whose content or mtime changed since {@link plant}. */
  async changed(): Promise<string[]> {
    const out: string[] = [];
    for (const [p, before] of this.files) {
      const now = await Sentinels.stateOf(p).catch(() => ({ hash: 'missing', mtimeMs: 0 }));
      if (now.hash !== before.hash || now.mtimeMs !== before.mtimeMs) out.push(p);
    }
    return out;
  }

  /** Removes the planted sentinels (watched files are left alone). */
  async remove(): Promise<void> {
    for (const p of this.files.keys())
      if (path.basename(p).startsWith('.stackgrade-attack-sentinel-')) await fs.rm(p, { force: true });
  }
}

/**
 * What is left of a run: containers, networks and volumes by label, seen volumes, its work folder and
 * candidate slot, host processes.
 */
export async function leftoversOf(env: GradingEnvironment, run: AttackRun): Promise<string[]> {
  const docker = env.ctx.docker;
  const left: string[] = [];
  const label = `${LABELS.submission}=${run.submissionId}`;
  for (const c of await docker.listContainers({ all: true, filters: { label: [label] } }))
    left.push(`container ${c.Names[0]}`);
  for (const id of run.seen.containers) {
    if (
      await docker
        .getContainer(id)
        .inspect()
        .then(
          () => true,
          () => false,
        )
    )
      left.push(`container ${id}`);
  }
  for (const n of await docker.listNetworks({ filters: { label: [label] } })) left.push(`network ${n.Name}`);
  const vols = (await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? [];
  for (const v of vols) left.push(`volume ${v.Name}`);
  for (const v of run.seen.volumes) {
    if (
      await docker
        .getVolume(v)
        .inspect()
        .then(
          () => true,
          () => false,
        )
    )
      left.push(`volume ${v}`);
  }
  const root = workerRoot(env.ctx.config.STACKGRADE_HOME, env.ctx.config.WORKER_ID);
  const prefix = run.submissionId.slice(0, 8);
  for (const dir of [root, slotsRoot(root)])
    for (const d of await fs.readdir(dir).catch(() => [] as string[]))
      if (d.startsWith(prefix)) left.push(`work folder ${path.join(dir, d)}`);
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  for (const l of ps.split('\n')) if (/sleep 98765\d/.test(l)) left.push(`host process ${l.trim()}`);
  return left;
}
