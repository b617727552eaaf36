import crypto from 'node:crypto';
import type Docker from 'dockerode';
import { AppError } from '../contract/app-error';
import type { ServiceDefinition } from '../contract/challenge-manifest.schema';
import {
  graderCheckSchema,
  graderOutputSchema,
  type GraderCheck,
  type GraderOutput,
} from '../contract/grade-result.schema';
import type { Logger } from '../lib/logger';
import { followLines, logTail, waitForLine } from './container-logs';
import { GVISOR_RUNTIME } from './docker';
import { hardenedHostConfig, type ContainerLimits } from './host-config';
import { CANDIDATE_SECCOMP_PROFILE } from './seccomp/candidate-profile';
import { LABELS, podLabels, type PodRole } from './labels';

/** Port of the candidate's service and of the reference solution on the pod's loopback. */
export const APP_PORT = 8080;
export const REF_APP_PORT = 8081;
/** Offset between a database service's port and its reference twin's. */
const REF_DB_PORT_OFFSET = 1;

/** A Node.js service to run in the pod: its code folder and dependencies, both mounted read-only. */
export interface ServiceCode {
  /** Host folder with the solution (mounted at /app). */
  codeDir: string;
  /** Host folder holding `node_modules` contents, mounted at /node_modules (Node resolves it from /app). */
  nodeModulesDir: string | null;
  /** `scripts.start` of its package.json, run with `sh -c`. */
  startCommand: string;
}

/** Everything needed to run one pod. */
export interface PodDefinition {
  runId: string;
  submissionId: string;
  worker: string;
  /** Epoch ms after which the reaper may remove leftovers. */
  deadline: number;
  images: { owner: string; runtime: string; grader: string; services: Record<string, string> };
  services: readonly ServiceDefinition[];
  candidate: ServiceCode;
  /** The challenge's reference solution, run beside the candidate for performance ratios. */
  reference: ServiceCode | null;
  candidateLimits: ContainerLimits;
  /** Milliseconds the candidate has to answer its health endpoint. */
  startupMs: number;
  runtime: 'runsc' | 'runc';
  /** Seed for the grader's randomized inputs (recorded in the report). */
  graderSeed: number;
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
  graderLog: string;
  timingsMs: Record<string, number>;
}

const GRADER_EVENT_PREFIX = '@@stackgrade ';
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
 * Runs one grading pod (design.md, "The sandbox pod"): a network owner with only loopback, the seeded
 * databases (and reference twins), the reference solution, the candidate's service and the grader, all
 * joined to the owner's network namespace, all hardened and labelled. Follows the grader's event lines,
 * enforces the deadline through `signal`, and always removes every container of the run: the removal starts
 * as it returns and is not awaited (see {@link settleRemovals}).
 * Throws AppError SANDBOX_FAILED (retryable) for platform failures (database never ready, Docker errors).
 */
export async function runPod(
  docker: Docker,
  def: PodDefinition,
  signal: AbortSignal,
  log: Logger,
): Promise<PodOutcome> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (k: string): void => {
    timings[k] = Date.now() - t0;
  };
  const labels = (role: PodRole): Record<string, string> =>
    podLabels({
      runId: def.runId,
      submissionId: def.submissionId,
      role,
      worker: def.worker,
      deadline: def.deadline,
    });
  const create = async (
    name: string,
    role: PodRole,
    opts: Docker.ContainerCreateOptions,
  ): Promise<Docker.Container> => {
    const c = await docker.createContainer({
      ...opts,
      name: `sg-${def.runId}-${name}`,
      Labels: labels(role),
    });
    log.debug({ runId: def.runId, role, id: c.id }, 'created container');
    return c;
  };
  const candidateState: CandidateState = { started: false, running: false, exitCode: null, oomKilled: false };
  let candidate: Docker.Container | null = null;
  let grader: Docker.Container | null = null;
  const checks: GraderCheck[] = [];
  let output: GraderOutput | null = null;
  let timedOut = false;
  let graderTruncated = false;
  try {
    const owner = await create('owner', 'net-owner', {
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
    const dbEnv: {
      svc: ServiceDefinition;
      port: number;
      admin: string;
      cand: string;
      canary: string;
      ref: boolean;
    }[] = [];
    for (const svc of def.services) {
      dbEnv.push({ svc, port: svc.port, admin: secret(), cand: secret(), canary: secret(), ref: false });
      if (def.reference)
        dbEnv.push({
          svc,
          port: svc.port + REF_DB_PORT_OFFSET,
          admin: secret(),
          cand: secret(),
          canary: secret(),
          ref: true,
        });
    }
    await Promise.all(
      dbEnv.map(async (d) => {
        const image = def.images.services[d.svc.name];
        if (!image) throw new AppError('SANDBOX_FAILED', `no image for service ${d.svc.name}`);
        const c = await create(`${d.ref ? 'ref-' : ''}${d.svc.name}`, 'db', {
          Image: image,
          Env: [
            `PG_PORT=${d.port}`,
            `ADMIN_PASSWORD=${d.admin}`,
            `CANDIDATE_PASSWORD=${d.cand}`,
            `DB_NAME=${d.svc.database}`,
            `CANDIDATE_ROLE=${d.svc.candidate_role}`,
            `DB_CANARY=${d.canary}`,
          ],
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

    const dbUrl = (d: (typeof dbEnv)[number], user: string, pw: string): string =>
      `postgres://${user}:${encodeURIComponent(pw)}@127.0.0.1:${d.port}/${d.svc.database}`;
    const main = dbEnv.filter((d) => !d.ref);
    const refs = dbEnv.filter((d) => d.ref);
    const serviceEnv = (code: ServiceCode, port: number, dbs: typeof dbEnv): string[] => [
      `PORT=${port}`,
      ...(dbs[0] ? [`DATABASE_URL=${dbUrl(dbs[0], dbs[0].svc.candidate_role, dbs[0].cand)}`] : []),
      'NODE_ENV=production',
      'HOME=/tmp',
      `PATH=${code.nodeModulesDir ? '/node_modules/.bin:' : ''}/usr/local/bin:/usr/bin:/bin`,
    ];
    const serviceContainer = (
      name: string,
      role: PodRole,
      code: ServiceCode,
      port: number,
      dbs: typeof dbEnv,
    ) =>
      create(name, role, {
        Image: def.images.runtime,
        Cmd: ['sh', '-c', code.startCommand],
        User: '10001:10001',
        WorkingDir: '/app',
        Env: serviceEnv(code, port, dbs),
        StopSignal: 'SIGKILL',
        StopTimeout: 1,
        HostConfig: hardenedHostConfig({
          networkMode: netns,
          limits: def.candidateLimits,
          readOnlyRoot: true,
          runtime: def.runtime === 'runsc' ? GVISOR_RUNTIME : undefined,
          seccompProfile: CANDIDATE_SECCOMP_PROFILE,
          readOnlyBinds: {
            [code.codeDir]: '/app',
            ...(code.nodeModulesDir ? { [code.nodeModulesDir]: '/node_modules' } : {}),
          },
        }),
      });

    // The grader: trusted, opens no port, reads the databases as superuser.
    grader = await create('grader', 'grader', {
      Image: def.images.grader,
      User: '10002:10002',
      Env: [
        `APP_URL=http://127.0.0.1:${APP_PORT}`,
        ...(def.reference ? [`REF_URL=http://127.0.0.1:${REF_APP_PORT}`] : []),
        ...main.map(
          (d, i) =>
            `${i === 0 ? 'DB' : `DB_${d.svc.name.toUpperCase()}`}_ADMIN_URL=${dbUrl(d, 'stackgrade_admin', d.admin)}`,
        ),
        ...refs.map(
          (d, i) =>
            `${i === 0 ? 'REF_DB' : `REF_DB_${d.svc.name.toUpperCase()}`}_ADMIN_URL=${dbUrl(d, 'stackgrade_admin', d.admin)}`,
        ),
        ...main.map((d, i) => `${i === 0 ? 'DB' : `DB_${d.svc.name.toUpperCase()}`}_CANARY=${d.canary}`),
        `CANDIDATE_ROLE=${main[0]?.svc.candidate_role ?? ''}`,
        `STARTUP_MS=${def.startupMs}`,
        `GRADER_SEED=${def.graderSeed}`,
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

    let resolveRefReady!: () => void;
    const refReady = new Promise<void>((r) => (resolveRefReady = r));
    await grader.start();
    mark('grader_started');
    const follow = await followLines(docker, grader, {
      maxBytes: MAX_GRADER_OUTPUT_BYTES,
      onStdoutLine: (line) => {
        if (!line.startsWith(GRADER_EVENT_PREFIX)) return;
        let ev: { event?: string; check?: unknown; output?: unknown };
        try {
          ev = JSON.parse(line.slice(GRADER_EVENT_PREFIX.length)) as typeof ev;
        } catch (err) {
          log.error(
            { runId: def.runId, bytes: line.length, err: String(err), head: line.slice(0, 200) },
            'grader wrote an event line that is not JSON',
          );
          return;
        }
        if (ev.event === 'ref-ready') resolveRefReady();
        else if (ev.event === 'candidate-ready') mark('candidate_ready');
        else if (ev.event === 'check') {
          const parsed = graderCheckSchema.safeParse(ev.check);
          if (parsed.success) {
            checks.push(parsed.data);
            timings.checks = (timings.checks ?? 0) + parsed.data.duration_ms;
          }
        } else if (ev.event === 'done') {
          const parsed = graderOutputSchema.safeParse(ev.output);
          if (parsed.success) output = parsed.data;
          else
            log.error(
              { runId: def.runId, issues: parsed.error.issues.slice(0, 5) },
              'grader output failed validation',
            );
        }
      },
    });

    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal.aborted) resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });

    if (def.reference) {
      const ref = await serviceContainer('ref-app', 'ref-app', def.reference, REF_APP_PORT, refs);
      await ref.start();
      const r = await Promise.race([
        refReady.then(() => 'ready' as const),
        follow.ended.then(() => 'grader-ended' as const),
        aborted,
      ]);
      if (r !== 'ready') {
        if (r === 'aborted') timedOut = true;
        else
          throw new AppError('SANDBOX_FAILED', 'the reference solution did not become ready', {
            retryable: true,
          });
      }
      mark('reference_ready');
    }

    if (!timedOut && !def.stopWhenReady) {
      candidate = await serviceContainer('app', 'app', def.candidate, APP_PORT, main);
      await candidate.start();
      candidateState.started = true;
      mark('candidate_started');
      const r = await Promise.race([follow.ended.then((e) => e), aborted]);
      if (r === 'aborted') timedOut = true;
      else graderTruncated = r.truncated;
      mark('grader_finished');
    }
    follow.stop();

    // Nothing in the pod can stop the network owner (its own PID namespace and user, no capabilities): if it
    // is not running, the pod was stopped from outside (a Docker daemon restart stops every container), and
    // whatever the grader saw meanwhile is no verdict on the candidate. A platform failure: retried.
    const ownerState = (await owner.inspect()).State;
    if (!ownerState.Running) {
      throw new AppError(
        'SANDBOX_FAILED',
        `the pod was stopped from outside during the run (network owner ${ownerState.Status}, exit ${ownerState.ExitCode}; e.g. a Docker daemon restart)`,
        { retryable: true },
      );
    }

    if (candidate) {
      const st = (await candidate.inspect()).State;
      candidateState.running = st.Running;
      candidateState.exitCode = st.Running ? null : st.ExitCode;
      candidateState.oomKilled = st.OOMKilled;
    }
    const graderState = (await grader.inspect()).State;
    if (!timedOut && !output && !graderTruncated && graderState.ExitCode !== 0) {
      log.error(
        { runId: def.runId, exit: graderState.ExitCode, oom: graderState.OOMKilled },
        'grader failed',
      );
    }
    return {
      output,
      checks,
      timedOut,
      graderTruncated,
      candidate: candidateState,
      candidateLog: candidate ? await logTail(candidate, 16 * 1024) : '',
      graderLog: await logTail(grader, 16 * 1024),
      timingsMs: timings,
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('SANDBOX_FAILED', `pod ${def.runId} failed: ${String(err)}`, {
      retryable: true,
      cause: err,
    });
  } finally {
    // Teardown is off the critical path: the outcome (and so the report) does not wait for Docker to kill
    // and remove the containers, which takes seconds under gVisor. settleRemovals() waits for it.
    const removal: Promise<unknown> = removeRun(docker, def.runId, log).finally(() =>
      pendingRemovals.delete(removal),
    );
    pendingRemovals.add(removal);
    timings.total = Date.now() - t0;
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
          await docker.getContainer(c.Id).remove({ force: true, v: true });
          removed++;
        } catch (err) {
          if (!/No such container|is already in progress/.test(String(err)))
            log.warn({ runId, id: c.Id, err: String(err) }, 'remove failed');
        }
      }),
    );
  } catch (err) {
    log.warn({ runId, err: String(err) }, 'listing run containers failed');
  }
  return removed;
}
