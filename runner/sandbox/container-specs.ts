import crypto from 'node:crypto';
import type Docker from 'dockerode';
import {
  serviceVariable,
  type PodSecretDefinition,
  type ServiceDefinition,
} from '../contract/challenge-manifest.schema';
import type { RuntimeLaunch } from '../runtimes/runtime';
import { LAUNCHER_SCRIPT, SLOT_MOUNTS, slotFolders } from './candidate-slot';
import { GVISOR_RUNTIME } from './docker';
import { candidateUrl, engineOf, graderServicesEnv, type ServiceInstance } from './engines';
import { hardenedHostConfig, type ContainerLimits } from './host-config';
import { podLabels, type PodRole } from './labels';
import { APP_PORT, REF_APP_PORT, REF_DB_PORT_OFFSET, type AppCode, type PodSetup } from './pod-definition';
import { CANDIDATE_SECCOMP_PROFILE } from './seccomp/candidate-profile';

/*
 * Pure builders of the create options of every container of a pod (docs/sandbox.md, "Pod layout"): given a
 * pod's setup they return what Docker is asked to create, and talk to nothing. pod.ts creates and starts them.
 */

/** Bytes of grader output read before the run is cut short as a flood. */
export const MAX_GRADER_OUTPUT_BYTES = 16 * 1024 * 1024;

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
/** Limits of the grader container. */
export const GRADER_LIMITS: ContainerLimits = {
  memoryMb: 768,
  cpus: 1,
  pids: 128,
  tmpfs: { '/tmp': 64 },
  fileSizeMb: 64,
  nofile: 4096,
  shmMb: 16,
};

/** A random credential for one pod (144 bits, base64url). */
export function podSecret(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/**
 * The pod's generated secrets (the manifest's `secrets`) by variable name: `bytes` fresh random bytes each,
 * as base64url text. Given to the candidate's and the reference's app as variables and to the grader.
 */
export function podSecrets(defs: readonly PodSecretDefinition[] = []): Record<string, string> {
  return Object.fromEntries(
    defs.map((sec) => [sec.env, crypto.randomBytes(sec.bytes).toString('base64url')]),
  );
}

/** Labels of a container of the pod with `role`. */
export function labelsOf(def: PodSetup, role: PodRole): Record<string, string> {
  return podLabels({
    runId: def.runId,
    submissionId: def.submissionId,
    role,
    worker: def.worker,
    deadline: def.deadline,
    ...(def.pool !== undefined ? { pool: def.pool } : {}),
  });
}

/** Name and labels of the pod's container `name` with `role`, merged into `opts`. */
function inPod(
  def: PodSetup,
  name: string,
  role: PodRole,
  opts: Docker.ContainerCreateOptions,
): Docker.ContainerCreateOptions {
  return { ...opts, name: `sg-${def.runId}-${name}`, Labels: labelsOf(def, role) };
}

/** Name of the candidate's container once a submission runs in it (warm pods rename it at the take). */
export function candidateContainerName(runId: string, submissionId: string): string {
  return `sg-${runId}-app-${submissionId}`;
}

/**
 * The pause container: it owns the pod's network namespace (loopback only) and sleeps; every other
 * container joins it. Nothing in it runs as root.
 */
export function pauseContainerSpec(def: PodSetup): Docker.ContainerCreateOptions {
  return inPod(def, 'owner', 'net-owner', {
    Image: def.images.owner,
    Cmd: ['sleep', 'infinity'],
    User: '65534:65534',
    StopSignal: 'SIGKILL',
    HostConfig: hardenedHostConfig({ networkMode: 'none', limits: OWNER_LIMITS, readOnlyRoot: true }),
  });
}

/**
 * The database instances of a pod, in manifest order, each followed by its reference twin when the pod runs
 * a reference (so the reference's indexes never help the candidate): port, fresh credentials and canary.
 */
export function databaseInstances(
  services: readonly ServiceDefinition[],
  withTwins: boolean,
): ServiceInstance[] {
  const instance = (svc: ServiceDefinition, twin: boolean): ServiceInstance => ({
    svc,
    port: svc.port + (twin ? REF_DB_PORT_OFFSET : 0),
    adminPassword: podSecret(),
    candidatePassword: podSecret(),
    canary: podSecret(),
    twin,
  });
  return services.flatMap((svc) =>
    withTwins ? [instance(svc, false), instance(svc, true)] : [instance(svc, false)],
  );
}

/** A database container of the pod, from its engine's seeded image, in the pause container's network. */
export function databaseSpec(
  def: PodSetup,
  d: ServiceInstance,
  image: string,
  netns: string,
): Docker.ContainerCreateOptions {
  return inPod(def, `${d.twin ? 'ref-' : ''}${d.svc.name}`, 'db', {
    Image: image,
    Env: engineOf(d.svc).containerEnv(d),
    StopSignal: 'SIGKILL',
    HostConfig: hardenedHostConfig({
      networkMode: netns,
      limits: { ...DB_LIMITS, tmpfs: {} },
      readOnlyRoot: false,
    }),
  });
}

/**
 * The grader container: trusted, opens no port, reads the databases with their admin credentials
 * (`SERVICES`), the candidate at APP_URL and the reference at REF_URL, and gets the pod's `secrets` as
 * `SECRETS` (a JSON object).
 */
export function graderSpec(
  def: PodSetup,
  main: readonly ServiceInstance[],
  twins: readonly ServiceInstance[],
  netns: string,
  secrets: Readonly<Record<string, string>>,
): Docker.ContainerCreateOptions {
  return inPod(def, 'grader', 'grader', {
    Image: def.images.grader,
    User: '10002:10002',
    Env: [
      `APP_URL=http://127.0.0.1:${APP_PORT}`,
      ...(def.reference ? [`REF_URL=http://127.0.0.1:${REF_APP_PORT}`] : []),
      `SERVICES=${JSON.stringify(graderServicesEnv([...main], [...twins]))}`,
      `STARTUP_MS=${def.startupMs}`,
      `GRADER_SEED=${def.graderSeed}`,
      ...(def.onlyChecks ? [`GRADER_ONLY_CHECKS=${def.onlyChecks.join(',')}`] : []),
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
}

/** How an app container starts: its `sh -c` command, read-only binds (host folder → mount) and runtime. */
export interface AppStart {
  command: string;
  binds: Record<string, string>;
  launch: RuntimeLaunch;
}

/**
 * The candidate's or the reference's app container: same image, limits, seccomp profile and hardening. It
 * gets `PORT`, one variable per database it may use (the candidate's own, or the twins for the reference)
 * and one per pod secret (`secrets`, the same values for both apps).
 */
export function appSpec(
  def: PodSetup,
  netns: string,
  who: { name: string; role: PodRole },
  start: AppStart,
  port: number,
  databases: readonly ServiceInstance[],
  secrets: Readonly<Record<string, string>>,
): Docker.ContainerCreateOptions {
  return inPod(def, who.name, who.role, {
    Image: start.launch.image,
    Cmd: ['sh', '-c', start.command],
    User: '10001:10001',
    WorkingDir: '/app',
    Env: [
      `PORT=${port}`,
      ...databases.map((i) => `${serviceVariable(i.svc)}=${candidateUrl(i)}`),
      ...Object.entries(secrets).map(([k, v]) => `${k}=${v}`),
      'HOME=/tmp',
      ...start.launch.env,
    ],
    StopSignal: 'SIGKILL',
    StopTimeout: 1,
    HostConfig: hardenedHostConfig({
      networkMode: netns,
      limits: def.candidateLimits,
      readOnlyRoot: true,
      runtime: def.runtime === 'runsc' ? GVISOR_RUNTIME : undefined,
      seccompProfile: CANDIDATE_SECCOMP_PROFILE,
      readOnlyBinds: start.binds,
    }),
  });
}

/** How the reference solution starts: its folders mounted directly, its start command run at once. */
export function referenceStart(code: AppCode): AppStart {
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
export function launcherStart(slotDir: string, launch: RuntimeLaunch): AppStart {
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
