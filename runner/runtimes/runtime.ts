import type { SubmissionFiles } from '../archive';
import type { RuntimeId } from '../contract/runtime-selection';
import type { InstallEnvironment } from './install-step';

/**
 * How an app of a runtime is started in its container (runner/sandbox/container-specs.ts): the image, where its
 * installed dependencies are mounted (read-only) and the variables the runtime adds. Known before the
 * submission is (a warm pod starts the candidate's container on an empty slot).
 */
export interface RuntimeLaunch {
  runtime: RuntimeId;
  /** Image tag of the runtime (sandbox-images/<runtime>). */
  image: string;
  /** Absolute path the dependency folder is mounted at (node_modules, the venv, the built binaries). */
  dependencyMount: string;
  /** `NAME=value` variables of the runtime, `PATH` included (the pod adds PORT and the database URLs). */
  env: readonly string[];
}

/** A solution made runnable by {@link CandidateRuntime.prepare}. */
export interface PreparedSolution {
  /** Host folder of the installed dependencies (mounted at {@link RuntimeLaunch.dependencyMount}), or null. */
  dependenciesDir: string | null;
  /** Shell command that starts the service, run with `sh -c` in /app. */
  startCommand: string;
}

/**
 * One candidate runtime (runner/runtimes/registry.ts lists them). Each owns: its marker files (detection,
 * runner/contract/runtime-selection.ts), its image, the dependency install (the one step with network,
 * cached by a hash of what it reads), what is mounted into the candidate's slot, and the start command.
 */
export interface CandidateRuntime {
  readonly id: RuntimeId;
  /** Folder under sandbox-images/ holding the image's Dockerfile. */
  readonly imageDir: string;
  /** Absolute mount point of the dependency folder in the service's container. */
  readonly dependencyMount: string;
  /** Variables of the runtime in the service's container (see {@link RuntimeLaunch.env}). */
  readonly env: readonly string[];
  /** argv printing the runtime's version (one line) in its image: recorded in the report. */
  readonly versionCommand: readonly string[];
  /**
   * Reads the solution's manifest files, checks them, installs its dependencies (cached) and picks the start
   * command. Throws SolutionSetupError (a candidate outcome: the message is for the candidate) for an invalid
   * or unbuildable solution, AppError SANDBOX_FAILED for platform failures.
   */
  prepare(files: SubmissionFiles, install: InstallEnvironment): Promise<PreparedSolution>;
}
