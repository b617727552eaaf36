import crypto from 'node:crypto';
import type Docker from 'dockerode';
import { AppError } from '../contract/app-error';
import {
  serviceVariable,
  type PodSecretDefinition,
  type ServiceDefinition,
} from '../contract/challenge-manifest.schema';
import {
  graderCheckSchema,
  graderOutputSchema,
  type GraderCheck,
  type GraderOutput,
} from '../contract/grade-result.schema';
import { CANDIDATE_STARTED_SIGNAL, EVENT_PREFIX } from '../contract/grader-protocol';
import type { Logger } from '../lib/logger';
import type { RuntimeLaunch } from '../runtimes/runtime';
import {
  createSlot,
  fillSlot,
  LAUNCHER_READY_LINE,
  LAUNCHER_RELEASE_SIGNAL,
  LAUNCHER_SCRIPT,
  removeSlot,
  SLOT_MOUNTS,
  slotFolders,
  withoutLauncherLine,
} from './candidate-slot';
import { followLines, logTail, waitForLine, type FollowResult } from './container-logs';
import { countLogLeaks, LOG_SCAN_MAX_BYTES, wantsLogScan } from '../grading/log-leaks';
import { forceRemove, GVISOR_RUNTIME } from './docker';
import { hardenedHostConfig, type ContainerLimits } from './host-config';
import { CANDIDATE_SECCOMP_PROFILE } from './seccomp/candidate-profile';
import { candidateUrl, engineOf, graderServicesEnv, type ServiceInstance } from './engines';
import { LABELS, podLabels, type PodRole } from './labels';

/** Port of the candidate's service and of the reference solution on the pod's loopback. */
export const APP_PORT = 8080;
export const REF_APP_PORT = 8081;
/** Offset between a database service's port and its reference twin's. */
const REF_DB_PORT_OFFSET = 1;

/** A service to run in the pod: its code folder and installed dependencies, both mounted read-only. */
export interface ServiceCode {
  /** Host folder with the solution (mounted at /app). */
  codeDir: string;
  /** Host folder of its installed dependencies, mounted at `launch.dependencyMount`; null when none. */
  dependenciesDir: string | null;
  /** Its start command (runner/runtimes/), run with `sh -c` in /app. */
  startCommand: string;
  /** Image, dependency mount and variables of its runtime. */
  launch: RuntimeLaunch;
}

/**
 * Everything needed to start a pod up to the candidate: network owner, databases, grader and reference. It
 * does not depend on the submission, so a warm pod (runner/grading/warm-pod-pool.ts) is started from it
 * before one arrives.
 */
export interface PodSetup {
  runId: string;
  /** Label of the pod's containers; the candidate's container carries the submission it runs. */
  submissionId: string;
  worker: string;
  /** Epoch ms after which the reaper may remove leftovers. */
  deadline: number;
  images: { owner: string; grader: string; services: Record<string, string> };
  /**
   * The runtime the candidate's container is started with (before the submission is there): a submission of
   * another runtime cannot run in this pod.
   */
  candidateLaunch: RuntimeLaunch;
  services: readonly ServiceDefinition[];
  /**
   * Secrets generated per pod (the manifest's `secrets`): given to the candidate's and the reference's service
   * as variables and to the grader as `SECRETS` (JSON object); default none.
   */
  secrets?: readonly PodSecretDefinition[];
  /** The challenge's reference solution, run beside the candidate for performance ratios. */
  reference: ServiceCode | null;
  candidateLimits: ContainerLimits;
  /** Milliseconds the candidate has to answer its health endpoint, from its container's start. */
  startupMs: number;
  runtime: 'runsc' | 'runc';
  /** Seed for the grader's randomized inputs (recorded in the report). */
  graderSeed: number;
  /** Value of the `io.stackgrade.pool` label: set on the containers of a warm pod. */
  pool?: string;
  /**
   * Host folder of the candidate's slot (runner/sandbox/candidate-slot.ts), one per pod: preparePod creates it
   * and starts the candidate's container on it, run() fills it, the pod's removal removes it.
   */
  slotDir: string;
}

/** Everything needed to run one pod. */
export interface PodDefinition extends PodSetup {
  candidate: ServiceCode;
  /**
   * When true, the pod stops (and is removed) as soon as it is ready: the reference solution answers its
   * health endpoint (or the databases are ready when there is no reference). The candidate is not started
   * and no check runs. Used by the benchmark (bench/pod-ready.ts) to time readiness; default false.
   */
  stopWhenReady?: boolean;
}

/** What happened in the candidate's container. */
export interface CandidateState {
  started: boolean;
  running: boolean;
  exitCode: number | null;
  oomKilled: boolean;
}

/** Outcome of a pod run; candidate failures are data here, platform failures are thrown. */
export interface PodOutcome {
  /** The grader's final document, or null if it never finished (deadline, crash, output flood). */
  output: GraderOutput | null;
  /** Checks the grader reported one by one (kept when the run is cut short). */
  checks: GraderCheck[];
  timedOut: boolean;
  graderTruncated: boolean;
  candidate: CandidateState;
  candidateLog: string;
  /**
   * Per check, how many of the values it forbade in the service log were there (runner/grading/log-leaks.ts);
   * absent when no check asked.
   */
  logLeaks?: Record<string, number>;
  graderLog: string;
  timingsMs: Record<string, number>;
}

const MAX_GRADER_OUTPUT_BYTES = 16 * 1024 * 1024;

/** Limits of the network owner (it only sleeps). */
export const OWNER_LIMITS: ContainerLimits = {
  memoryMb: 16,
  cpus: 0.1,
  pids: 8,
  tmpfs: {},
  fileSizeMb: 1,
  nofile: 64,
  shmMb: 1,
};
/** Limits of a database container. */
export const DB_LIMITS: ContainerLimits = {
  memoryMb: 1024,
  cpus: 1.5,
  pids: 256,
  tmpfs: { '/tmp': 64 },
  fileSizeMb: 1024,
  nofile: 4096,
  shmMb: 256,
};
const GRADER_LIMITS: ContainerLimits = {
  memoryMb: 768,
  cpus: 1,
  pids: 128,
  tmpfs: { '/tmp': 64 },
  fileSizeMb: 64,
  nofile: 4096,
  shmMb: 16,
};

function secret(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/**
 * Starts removing every container of the pod, then its candidate slot, off the critical path (see
 * {@link settleRemovals}).
 */
function startRemoval(docker: Docker, def: PodSetup, log: Logger): void {
  const removal: Promise<unknown> = removeRun(docker, def.runId, log)
    .then(() => removeSlot(def.slotDir, log))
    .finally(() => pendingRemovals.delete(removal));
  pendingRemovals.add(removal);
}

/**
 * Nothing in a pod can stop its network owner (its own PID namespace and user, no capabilities): when it is
 * not running, the pod was stopped from outside (a Docker daemon restart stops every container). Returns the
 * retryable SANDBOX_FAILED that says so, or null while the owner runs (or cannot be inspected: it is gone).
 */
async function stoppedFromOutside(
  owner: Docker.Container,
  during: 'run' | 'start-up',
): Promise<AppError | null> {
  const state = await owner.inspect().then(
    (i) => i.State,
    () => null,
  );
  if (state === null || state.Running) return null;
  return new AppError(
    'SANDBOX_FAILED',
    `the pod was stopped from outside during the ${during} (network owner ${state.Status}, exit ${state.ExitCode}; e.g. a Docker daemon restart)`,
    { retryable: true },
  );
}

function sandboxFailure(runId: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('SANDBOX_FAILED', `pod ${runId} failed: ${String(err)}`, {
    retryable: true,
    cause: err,
  });
}

/**
 * A pod started up to the candidate (owner, databases, grader, reference answering): the grader waits for
 * the candidate. Single use: {@link PreparedPod.run} runs one candidate in it and removes it, and
 * {@link PreparedPod.discard} removes it unused.
 */
export class PreparedPod {
  /** Epoch ms when the pod's first container was created. */
  readonly startedAt: number;
  /** Epoch ms when it was ready for a candidate. */
  readonly readyAt: number;
  private used = false;
  private graderEnded = false;
  private readonly checks: GraderCheck[] = [];
  private output: GraderOutput | null = null;
  private candidateReadyAt: number | null = null;
  private checksMs = 0;
  /**
   * Resolves once the candidate in this pod answers its health check (the grader's `candidate-ready`
   * event), or once the pod's use ended without that (the run returned or threw, or the pod was discarded).
   * The warm pool starts its refill then (WarmPodPool.take). Never rejects.
   */
  readonly candidateSettled: Promise<void>;
  private settleCandidate: () => void = () => undefined;
  /** Resolves at the grader's `done` event (its output is complete; the grader then only exits). */
  private readonly graderDone: Promise<'done'>;
  private markGraderDone: () => void = () => undefined;

  /** @internal built by {@link preparePod} only. */
  constructor(
    private readonly docker: Docker,
    readonly setup: PodSetup,
    private readonly parts: {
      owner: Docker.Container;
      grader: Docker.Container;
      /** The candidate's container, started on the empty slot: its launcher waits for the release signal. */
      launcher: Docker.Container;
      follow: FollowResult;
      /** Containers expected to be running while the pod waits (owner, databases, grader, reference, launcher). */
      expected: number;
      /** Preparation was cut short by its signal (the deadline): no candidate may start. */
      timedOut: boolean;
      startedAt: number;
      /** Marks of the preparation, ms from `startedAt`. */
      timings: Record<string, number>;
    },
    private readonly log: Logger,
  ) {
    this.startedAt = parts.startedAt;
    this.readyAt = Date.now();
    this.candidateSettled = new Promise<void>((resolve) => {
      this.settleCandidate = resolve;
    });
    this.graderDone = new Promise<'done'>((resolve) => {
      this.markGraderDone = () => resolve('done');
    });
    void parts.follow.ended.then(() => {
      this.graderEnded = true;
    });
  }

  /** Marks of the preparation (owner_started, databases_ready, grader_started, reference_ready), ms. */
  get timings(): Readonly<Record<string, number>> {
    return this.parts.timings;
  }

  /** Whether the preparation was cut short by its signal. */
  get timedOut(): boolean {
    return this.parts.timedOut;
  }

  /** @internal the grader's stdout event lines, routed here by preparePod. */
  onEvent(ev: { event?: string; check?: unknown; output?: unknown }): void {
    if (ev.event === 'candidate-ready') {
      this.candidateReadyAt = Date.now();
      this.settleCandidate();
    } else if (ev.event === 'check') {
      const parsed = graderCheckSchema.safeParse(ev.check);
      if (parsed.success) {
        this.checks.push(parsed.data);
        this.checksMs += parsed.data.duration_ms;
      }
    } else if (ev.event === 'done') {
      const parsed = graderOutputSchema.safeParse(ev.output);
      if (parsed.success) this.output = parsed.data;
      else
        this.log.error(
          { runId: this.setup.runId, issues: parsed.error.issues.slice(0, 5) },
          'grader output failed validation',
        );
      this.markGraderDone();
    }
  }

  /**
   * True when every container of the pod is still running and the grader still waits (a Docker daemon
   * restart or an OOM kill stops containers of an idle warm pod). Never throws (false on Docker errors).
   */
  async alive(): Promise<boolean> {
    if (this.used || this.graderEnded) return false;
    try {
      const list = await this.docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.runId}=${this.setup.runId}`] },
      });
      return list.length === this.parts.expected && list.every((c) => c.State === 'running');
    } catch {
      return false;
    }
  }

  /** Removes the pod unused (removal started, not awaited: {@link settleRemovals}). Idempotent. */
  discard(): void {
    this.used = true;
    this.settleCandidate();
    this.parts.follow.stop();
    startRemoval(this.docker, this.setup, this.log);
  }

  /**
   * Runs the candidate in this pod: fills its slot (files, dependencies, start command), releases its
   * container's launcher (started with the pod; limits and hardening of the setup), signals the grader,
   * follows it to its end under `signal`, and returns the outcome; the pod's removal starts as it returns.
   * In a warm pod the candidate's container is renamed `sg-<run id>-app-<submission id>` (its labels, set
   * when it was created, carry the pool's placeholder submission; reapSubmission finds it by that name). Timings are ms from `since` (epoch ms; default now) plus the preparation's marks
   * when `withPrepTimings`. Throws AppError SANDBOX_FAILED (retryable) for platform failures, and when the
   * pod was already used.
   */
  async run(
    candidateCode: ServiceCode,
    submissionId: string,
    signal: AbortSignal,
    opts: { since?: number; withPrepTimings?: boolean; startCandidate?: boolean } = {},
  ): Promise<PodOutcome> {
    if (this.used) throw new AppError('SANDBOX_FAILED', `pod ${this.setup.runId} was already used`);
    this.used = true;
    const def = this.setup;
    const { owner, grader, launcher, follow } = this.parts;
    const t0 = opts.since ?? Date.now();
    const timings: Record<string, number> = opts.withPrepTimings ? { ...this.parts.timings } : {};
    const mark = (k: string, at = Date.now()): void => {
      timings[k] = at - t0;
    };
    const candidateState: CandidateState = {
      started: false,
      running: false,
      exitCode: null,
      oomKilled: false,
    };
    let candidate: Docker.Container | null = null;
    let timedOut = this.parts.timedOut;
    let graderTruncated = false;
    try {
      const aborted = new Promise<'aborted'>((resolve) => {
        if (signal.aborted) resolve('aborted');
        signal.addEventListener('abort', () => resolve('aborted'), { once: true });
      });
      if (!timedOut && opts.startCandidate !== false) {
        if (candidateCode.launch.image !== def.candidateLaunch.image)
          throw new AppError(
            'SANDBOX_FAILED',
            `pod ${def.runId} runs ${def.candidateLaunch.runtime} candidates, not ${candidateCode.launch.runtime}`,
          );
        await fillSlot(def.slotDir, candidateCode);
        candidate = launcher;
        if (submissionId !== def.submissionId)
          await launcher.rename({ name: candidateContainerName(def.runId, submissionId) });
        await launcher.kill({ signal: LAUNCHER_RELEASE_SIGNAL });
        candidateState.started = true;
        mark('candidate_started');
        await grader.kill({ signal: CANDIDATE_STARTED_SIGNAL }).catch((err: unknown) => {
          // The grader already ended (its result, if any, is read below).
          this.log.debug({ runId: def.runId, err: String(err) }, 'could not signal the grader');
        });
        // The grader's result is complete at its `done` event: its exit after it (78-156 ms under gVisor,
        // BENCHMARKS.md) is not waited for. Without that event, its end (or the deadline) ends the run.
        const r = await Promise.race([follow.ended, this.graderDone, aborted]);
        if (r === 'aborted') timedOut = true;
        else if (r !== 'done') graderTruncated = r.truncated;
        mark('grader_finished');
      }
      follow.stop();
      if (this.candidateReadyAt !== null) mark('candidate_ready', this.candidateReadyAt);
      if (this.checks.length) timings.checks = this.checksMs;

      // Whatever the grader saw in a pod stopped from outside is no verdict on the candidate.
      const stopped = await stoppedFromOutside(owner, 'run');
      if (stopped) throw stopped;
      if (candidate) {
        let st = (await candidate.inspect()).State;
        // The grader found the service refusing connections after its checks: it most likely died, and
        // Docker records the exit of a gVisor sandbox later than the grader sees the port close.
        if (st.Running && this.output?.service_down) {
          const waited = Date.now();
          st = await stateOnceStopped(candidate, CANDIDATE_EXIT_GRACE_MS);
          this.log.info(
            { runId: def.runId, waitedMs: Date.now() - waited, running: st.Running, exit: st.ExitCode },
            'the grader found the service down; waited for its container to stop',
          );
        }
        candidateState.running = st.Running;
        candidateState.exitCode = st.Running ? null : st.ExitCode;
        candidateState.oomKilled = st.OOMKilled;
      }
      const graderState = (await grader.inspect()).State;
      if (!timedOut && !this.output && !graderTruncated && graderState.ExitCode !== 0) {
        this.log.error(
          { runId: def.runId, exit: graderState.ExitCode, oom: graderState.OOMKilled },
          'grader failed',
        );
      }
      const reported = this.output?.checks ?? this.checks;
      const logLeaks =
        candidate && wantsLogScan(reported)
          ? countLogLeaks(await logTail(candidate, LOG_SCAN_MAX_BYTES, 1_000_000), reported)
          : undefined;
      return {
        output: this.output,
        checks: this.checks,
        ...(logLeaks ? { logLeaks } : {}),
        timedOut,
        graderTruncated,
        candidate: candidateState,
        candidateLog: candidate ? withoutLauncherLine(await logTail(candidate, 16 * 1024)) : '',
        graderLog: await logTail(grader, 16 * 1024),
        timingsMs: timings,
      };
    } catch (err) {
      throw sandboxFailure(def.runId, err);
    } finally {
      // Teardown is off the critical path: the outcome (and so the report) does not wait for Docker to kill
      // and remove the containers, which takes seconds under gVisor. settleRemovals() waits for it.
      follow.stop();
      startRemoval(this.docker, def, this.log);
      this.settleCandidate();
      timings.total = Date.now() - t0;
    }
  }
}

function labelsOf(def: PodSetup, role: PodRole): Record<string, string> {
  return podLabels({
    runId: def.runId,
    submissionId: def.submissionId,
    role,
    worker: def.worker,
    deadline: def.deadline,
    ...(def.pool !== undefined ? { pool: def.pool } : {}),
  });
}

async function createIn(
  docker: Docker,
  def: PodSetup,
  name: string,
  role: PodRole,
  opts: Docker.ContainerCreateOptions,
): Promise<Docker.Container> {
  return docker.createContainer({
    ...opts,
    name: `sg-${def.runId}-${name}`,
    Labels: labelsOf(def, role),
  });
}

/** Name of the candidate's container once a submission runs in it (warm pods rename it at the take). */
export function candidateContainerName(runId: string, submissionId: string): string {
  return `sg-${runId}-app-${submissionId}`;
}

/**
 * Creates (does not start) the candidate's or the reference's container: same image, limits and hardening.
 * `command` runs with `sh -c`; `binds` maps host folders to their read-only mount points.
 */
function serviceContainer(
  docker: Docker,
  def: PodSetup,
  ownerId: string,
  who: { name: string; role: PodRole },
  start: { command: string; binds: Record<string, string>; launch: RuntimeLaunch },
  port: number,
  services: readonly ServiceInstance[],
  secrets: Readonly<Record<string, string>>,
): Promise<Docker.Container> {
  return createIn(docker, def, who.name, who.role, {
    Image: start.launch.image,
    Cmd: ['sh', '-c', start.command],
    User: '10001:10001',
    WorkingDir: '/app',
    Env: [
      `PORT=${port}`,
      ...services.map((i) => `${serviceVariable(i.svc)}=${candidateUrl(i)}`),
      ...Object.entries(secrets).map(([k, v]) => `${k}=${v}`),
      'HOME=/tmp',
      ...start.launch.env,
    ],
    StopSignal: 'SIGKILL',
    StopTimeout: 1,
    HostConfig: hardenedHostConfig({
      networkMode: `container:${ownerId}`,
      limits: def.candidateLimits,
      readOnlyRoot: true,
      runtime: def.runtime === 'runsc' ? GVISOR_RUNTIME : undefined,
      seccompProfile: CANDIDATE_SECCOMP_PROFILE,
      readOnlyBinds: start.binds,
    }),
  });
}

/** How the reference solution starts: its folders mounted directly, its start command run at once. */
function referenceStart(code: ServiceCode): {
  command: string;
  binds: Record<string, string>;
  launch: RuntimeLaunch;
} {
  return {
    command: code.startCommand,
    binds: {
      [code.codeDir]: SLOT_MOUNTS.app,
      ...(code.dependenciesDir ? { [code.dependenciesDir]: code.launch.dependencyMount } : {}),
    },
    launch: code.launch,
  };
}

/** How the candidate's container starts: the launcher on the pod's (still empty) slot. */
function launcherStart(
  slotDir: string,
  launch: RuntimeLaunch,
): {
  command: string;
  binds: Record<string, string>;
  launch: RuntimeLaunch;
} {
  const f = slotFolders(slotDir);
  return {
    command: LAUNCHER_SCRIPT,
    binds: {
      [f.app]: SLOT_MOUNTS.app,
      [f.dependencies]: launch.dependencyMount,
      [f.control]: SLOT_MOUNTS.control,
    },
    launch,
  };
}

/**
 * Starts a pod up to the candidate (docs/sandbox.md, "Pod layout"): a network owner with only loopback, the
 * seeded databases (and a reference twin per service), the grader, and the reference solution, all joined to
 * the owner's network namespace, hardened and labelled; resolves once the grader says it waits for the
 * candidate (the reference answers). When `signal` aborts first, resolves with `timedOut` set. On failure the
 * pod's removal is started and AppError SANDBOX_FAILED (retryable) is thrown (database or reference never
 * ready, Docker errors).
 */
export async function preparePod(
  docker: Docker,
  def: PodSetup,
  signal: AbortSignal,
  log: Logger,
): Promise<PreparedPod> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (k: string): void => {
    timings[k] = Date.now() - t0;
  };
  const create = async (
    name: string,
    role: PodRole,
    opts: Docker.ContainerCreateOptions,
  ): Promise<Docker.Container> => {
    const c = await createIn(docker, def, name, role, opts);
    log.debug({ runId: def.runId, role, id: c.id }, 'created container');
    return c;
  };
  let follow: FollowResult | null = null;
  let launcherReady: Promise<Docker.Container> | null = null;
  let owner: Docker.Container | null = null;
  try {
    owner = await create('owner', 'net-owner', {
      Image: def.images.owner,
      Cmd: ['sleep', 'infinity'],
      User: '65534:65534',
      StopSignal: 'SIGKILL',
      HostConfig: hardenedHostConfig({ networkMode: 'none', limits: OWNER_LIMITS, readOnlyRoot: true }),
    });
    await owner.start();
    const netns = `container:${owner.id}`;
    mark('owner_started');

    // Databases (and, with a reference, a twin per service so the reference's indexes never help the candidate).
    const dbEnv: ServiceInstance[] = [];
    const instance = (svc: ServiceDefinition, twin: boolean): ServiceInstance => ({
      svc,
      port: svc.port + (twin ? REF_DB_PORT_OFFSET : 0),
      adminPassword: secret(),
      candidatePassword: secret(),
      canary: secret(),
      twin,
    });
    const secrets: Record<string, string> = Object.fromEntries(
      (def.secrets ?? []).map((sec) => [sec.env, crypto.randomBytes(sec.bytes).toString('base64url')]),
    );
    for (const svc of def.services) {
      dbEnv.push(instance(svc, false));
      if (def.reference) dbEnv.push(instance(svc, true));
    }
    // The candidate's container starts now, on its empty slot, beside the databases: its launcher waits for
    // run() (candidate-slot.ts), so the time gVisor takes to start a sandbox is off the grading's path.
    launcherReady = (async () => {
      await createSlot(def.slotDir);
      const c = await serviceContainer(
        docker,
        def,
        owner.id,
        { name: 'app', role: 'app' },
        launcherStart(def.slotDir, def.candidateLaunch),
        APP_PORT,
        dbEnv.filter((d) => !d.twin),
        secrets,
      );
      await c.start();
      await waitForLine(docker, c, LAUNCHER_READY_LINE, 60_000).catch((err: unknown) => {
        throw new AppError('SANDBOX_FAILED', `the candidate's container did not start: ${String(err)}`, {
          retryable: true,
        });
      });
      return c;
    })();
    launcherReady.catch(() => undefined); // awaited below, or settled in the catch when something else failed
    await Promise.all(
      dbEnv.map(async (d) => {
        const image = def.images.services[d.svc.name];
        if (!image) throw new AppError('SANDBOX_FAILED', `no image for service ${d.svc.name}`);
        const c = await create(`${d.twin ? 'ref-' : ''}${d.svc.name}`, 'db', {
          Image: image,
          Env: engineOf(d.svc).containerEnv(d),
          StopSignal: 'SIGKILL',
          HostConfig: hardenedHostConfig({
            networkMode: netns,
            limits: { ...DB_LIMITS, tmpfs: {} },
            readOnlyRoot: false,
          }),
        });
        // The socket dir and /tmp are tmpfs owned by postgres (uid 999).
        await c.start();
        await waitForLine(docker, c, 'STACKGRADE_DB_READY', 60_000).catch((err: unknown) => {
          throw new AppError(
            'SANDBOX_FAILED',
            `database ${d.svc.name} did not become ready: ${String(err)}`,
            { retryable: true },
          );
        });
      }),
    );
    mark('databases_ready');

    const main = dbEnv.filter((d) => !d.twin);
    const refs = dbEnv.filter((d) => d.twin);

    // The grader: trusted, opens no port, reads the databases as superuser.
    const grader = await create('grader', 'grader', {
      Image: def.images.grader,
      User: '10002:10002',
      Env: [
        `APP_URL=http://127.0.0.1:${APP_PORT}`,
        ...(def.reference ? [`REF_URL=http://127.0.0.1:${REF_APP_PORT}`] : []),
        `SERVICES=${JSON.stringify(graderServicesEnv(main, refs))}`,
        `STARTUP_MS=${def.startupMs}`,
        `GRADER_SEED=${def.graderSeed}`,
        `SECRETS=${JSON.stringify(secrets)}`,
        'NODE_ENV=production',
      ],
      StopSignal: 'SIGKILL',
      HostConfig: hardenedHostConfig({
        networkMode: netns,
        limits: GRADER_LIMITS,
        readOnlyRoot: true,
        // Read in full by followLines up to MAX_GRADER_OUTPUT_BYTES; a rotated log would lose the result.
        logMaxMb: 2 * (MAX_GRADER_OUTPUT_BYTES / 1024 / 1024),
      }),
    });

    let pod: PreparedPod | null = null;
    const early: { event?: string; check?: unknown; output?: unknown }[] = [];
    let resolveRefReady!: () => void;
    const refReady = new Promise<void>((r) => (resolveRefReady = r));
    let resolveAwaiting!: () => void;
    const awaiting = new Promise<void>((r) => (resolveAwaiting = r));
    await grader.start();
    mark('grader_started');
    follow = await followLines(docker, grader, {
      maxBytes: MAX_GRADER_OUTPUT_BYTES,
      onStdoutLine: (line) => {
        if (!line.startsWith(EVENT_PREFIX)) return;
        let ev: { event?: string; check?: unknown; output?: unknown };
        try {
          ev = JSON.parse(line.slice(EVENT_PREFIX.length)) as typeof ev;
        } catch (err) {
          log.error(
            { runId: def.runId, bytes: line.length, err: String(err), head: line.slice(0, 200) },
            'grader wrote an event line that is not JSON',
          );
          return;
        }
        if (ev.event === 'ref-ready') resolveRefReady();
        else if (ev.event === 'awaiting-candidate') resolveAwaiting();
        else if (pod) pod.onEvent(ev);
        else early.push(ev);
      },
    });
    const followed = follow;

    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal.aborted) resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });

    let timedOut = false;
    if (def.reference) {
      const ref = await serviceContainer(
        docker,
        def,
        owner.id,
        { name: 'ref-app', role: 'ref-app' },
        referenceStart(def.reference),
        REF_APP_PORT,
        refs,
        secrets,
      );
      await ref.start();
      const r = await Promise.race([
        refReady.then(() => 'ready' as const),
        followed.ended.then(() => 'grader-ended' as const),
        aborted,
      ]);
      if (r === 'aborted') timedOut = true;
      else if (r === 'grader-ended')
        throw new AppError('SANDBOX_FAILED', 'the reference solution did not become ready', {
          retryable: true,
        });
      else mark('reference_ready');
    }
    if (!timedOut) {
      // The grader arms its signal handler before it says so; without a reference it may also end early
      // (a setup error such as a canary mismatch), which run() then reports.
      const r = await Promise.race([
        awaiting.then(() => 'awaiting' as const),
        followed.ended.then(() => 'grader-ended' as const),
        aborted,
      ]);
      if (r === 'aborted') timedOut = true;
      else if (r === 'grader-ended' && def.reference)
        throw new AppError('SANDBOX_FAILED', 'the grader ended before the candidate could start', {
          retryable: true,
        });
    }
    const launcher = await launcherReady;
    mark('launcher_ready');
    pod = new PreparedPod(
      docker,
      def,
      {
        owner,
        grader,
        launcher,
        follow: followed,
        expected: 3 + dbEnv.length + (def.reference ? 1 : 0),
        timedOut,
        startedAt: t0,
        timings,
      },
      log,
    );
    for (const ev of early) pod.onEvent(ev);
    return pod;
  } catch (err) {
    follow?.stop();
    // A database or the reference "not ready" because the pod was stopped from outside is reported as that.
    const stopped = owner ? await stoppedFromOutside(owner, 'start-up') : null;
    await launcherReady?.catch(() => undefined); // so the removal below sees its container
    startRemoval(docker, def, log);
    throw stopped ?? sandboxFailure(def.runId, err);
  }
}

/**
 * Runs one grading pod, cold: {@link preparePod} then {@link PreparedPod.run} (or only the preparation with
 * `stopWhenReady`). Follows the grader's event lines, enforces the deadline through `signal`, and always
 * removes every container of the run: the removal starts as it returns and is not awaited (see
 * {@link settleRemovals}). Timings are ms from the pod's start.
 * Throws AppError SANDBOX_FAILED (retryable) for platform failures (database never ready, Docker errors).
 */
export async function runPod(
  docker: Docker,
  def: PodDefinition,
  signal: AbortSignal,
  log: Logger,
): Promise<PodOutcome> {
  const pod = await preparePod(docker, def, signal, log);
  return pod.run(def.candidate, def.submissionId, signal, {
    since: pod.startedAt,
    withPrepTimings: true,
    startCandidate: !def.stopWhenReady,
  });
}

/**
 * How long a run waits for the candidate's container to stop once the grader reported the service down
 * (`service_down`), ms. Its exit is then read as such (crashed, memory_limit); a service that closed its port
 * but keeps running is read as running after this wait.
 */
export const CANDIDATE_EXIT_GRACE_MS = 5_000;

/**
 * Polls `container`, which the caller just saw running, every 100 ms until it is not running or `graceMs`
 * passed; returns its last state.
 */
async function stateOnceStopped(
  container: Docker.Container,
  graceMs: number,
): Promise<Docker.ContainerInspectInfo['State']> {
  const until = Date.now() + graceMs;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const st = (await container.inspect()).State;
    if (!st.Running || Date.now() >= until) return st;
  }
}

/** Container removals runPod started and that have not finished yet. */
const pendingRemovals = new Set<Promise<unknown>>();

/**
 * Resolves when every container removal started by {@link runPod} so far has finished (callers that must
 * leave no container behind: shutdown, `challenge validate`, the CLI, benchmarks). Never throws.
 */
export async function settleRemovals(): Promise<void> {
  while (pendingRemovals.size) await Promise.all([...pendingRemovals]);
}

/** Force-removes every container labelled with `runId` (and its anonymous volumes). Never throws. */
export async function removeRun(docker: Docker, runId: string, log: Logger): Promise<number> {
  let removed = 0;
  try {
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.runId}=${runId}`] } });
    await Promise.all(
      list.map(async (c) => {
        try {
          if (await forceRemove(docker, c.Id)) removed++;
        } catch (err) {
          log.warn({ runId, id: c.Id, err: String(err) }, 'remove failed');
        }
      }),
    );
  } catch (err) {
    log.warn({ runId, err: String(err) }, 'listing run containers failed');
  }
  return removed;
}
