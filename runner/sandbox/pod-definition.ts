import type Docker from 'dockerode';
import type { PodSecretDefinition, ServiceDefinition } from '../contract/challenge-manifest.schema';
import type { GraderCheck, GraderOutput } from '../contract/grade-result.schema';
import type { Logger } from '../lib/logger';
import type { RuntimeLaunch } from '../runtimes/runtime';
import type { ContainerLimits } from './host-config';
import type { RemovalRegistry } from './removal-registry';

/** Port of the candidate's service and of the reference solution on the pod's loopback. */
export const APP_PORT = 8080;
export const REF_APP_PORT = 8081;
/** Offset between a database service's port and its reference twin's. */
export const REF_DB_PORT_OFFSET = 1;

/**
 * An HTTP app to run in the pod (the candidate's or the reference): its code folder and installed
 * dependencies, both mounted read-only. (A "service" is a database of the manifest's `services`.)
 */
export interface AppCode {
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
   * Secrets generated per pod (the manifest's `secrets`): given to the candidate's and the reference's app
   * as variables and to the grader as `SECRETS` (JSON object); default none.
   */
  secrets?: readonly PodSecretDefinition[];
  /** The challenge's reference solution, run beside the candidate for performance ratios. */
  reference: AppCode | null;
  candidateLimits: ContainerLimits;
  /** Milliseconds the candidate has to answer its health endpoint, from its container's start. */
  startupMs: number;
  runtime: 'runsc' | 'runc';
  /** Seed for the grader's randomized inputs (recorded in the report). */
  graderSeed: number;
  /** Ids of the only checks the grader runs (a practice run; `GRADER_ONLY_CHECKS`); absent: every check. */
  onlyChecks?: readonly string[];
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
  candidate: AppCode;
  /**
   * When true, the pod stops (and is removed) as soon as it is ready: the reference solution answers its
   * health endpoint (or the databases are ready when there is no reference). The candidate is not started
   * and no check runs. Used by the benchmark (bench/pod-ready.ts) to time readiness; default false.
   */
  stopWhenReady?: boolean;
  /** Told of the grader's progress (see {@link PreparedPod.run}); must not throw. */
  onGraderProgress?: (p: GraderProgress) => void;
}

/** The grader's progress in a run: checks it reported so far (0 once the candidate's service answered). */
export interface GraderProgress {
  checksDone: number;
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

/**
 * What runs pods: the Docker engine, a logger, and the registry that tracks the removals of finished pods
 * (owned by the grading environment, which settles it before it closes).
 */
export interface PodHost {
  docker: Docker;
  log: Logger;
  removals: RemovalRegistry;
}
