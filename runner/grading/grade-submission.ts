import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { readArchive, packDirectory, writeFiles, type SubmissionFiles } from '../archive';
import { AppError, isAppError } from '../contract/app-error';
import type { LoadedChallenge } from '../contract/challenge-catalog';
import type { GradeReport } from '../contract/grade-result.schema';
import type { GradingProgress } from '../contract/grading-progress';
import type { ChallengeImages } from '../images/image-set';
import type { Logger } from '../lib/logger';
import { runPod } from '../sandbox/pod';
import type { AppCode, PodOutcome, PodSetup } from '../sandbox/pod-definition';
import type { RemovalRegistry } from '../sandbox/removal-registry';
import type { RunnerConfig } from '../config';
import { RUNTIME_IDS, selectRuntime, type RuntimeId } from '../contract/runtime-selection';
import type { ProvenanceRunner, ReportProvenance, SolutionRuntime } from '../contract/grade-result.schema';
import { RUNTIMES } from '../runtimes/registry';
import type { RuntimeLaunch } from '../runtimes/runtime';
import { WarmPodPool } from './warm-pod-pool';
import { referenceDirFor } from './reference-for-runtime';
import { buildReport } from './build-report';
import { recordProvenance, type PodImages } from './provenance';
import { resolveLimits } from './resolve-limits';
import { slotsRoot, workerRoot } from './work-folders';
import { SolutionSetupError } from './solution-package';

/** What {@link gradeSubmission} needs besides the files. */
export interface GradeContext {
  docker: Docker;
  config: RunnerConfig;
  /** OCI runtime of the candidate's container (gVisor or hardened runc). */
  runtime: 'runsc' | 'runc';
  /** Image tag of each candidate runtime. */
  runtimeImages: Readonly<Record<RuntimeId, string>>;
  /** Version of each candidate runtime in its image (recorded in reports). */
  runtimeVersions: Readonly<Record<RuntimeId, string>>;
  /** Package registry of each runtime: npm registry, PyPI index (simple API), Go module proxy. */
  registries: Readonly<Record<RuntimeId, string>>;
  ownerImage: string;
  log: Logger;
  /** Removals of this environment's finished pods (settled before it closes). */
  removals: RemovalRegistry;
  /** Warm pods to take instead of starting a cold one (runner process only; see GradingEnvironment). */
  pool?: WarmPodPool;
  /** Who grades (recorded in each report's provenance); absent, reports carry no `runner`. */
  runner?: ProvenanceRunner;
}

/** One grading run's identity. */
export interface GradeRequest {
  challenge: LoadedChallenge;
  images: ChallengeImages;
  files: SubmissionFiles;
  /** The runtime the client named (API `runtime`, CLI `--runtime`); detected from the files when absent. */
  runtime?: RuntimeId;
  submissionId: string;
  attempt: number;
  /** Aborts the run (shutdown); the deadline from the manifest is applied on top. */
  signal?: AbortSignal;
  /** Told as the grading moves on (installing, pod starting, checks n/N); must not throw. */
  onProgress?: (p: GradingProgress) => void;
  /**
   * `practice`: the grader runs only the manifest's `practice: true` checks and the report is unscored
   * (see buildReport). Always a cold pod: a warm pod's grader was started for every check. Default `graded`.
   */
  mode?: 'graded' | 'practice';
  /**
   * The grader seed to use (to regrade a report identically: its `provenance.grader_seed`); default a
   * random one. Always a cold pod: a warm pod's grader was started with its own seed.
   */
  graderSeed?: number;
  /**
   * Run only these checks of a graded run (a measurement of one check: bench/enumeration-timing.ts). The
   * report lists only them and is unscored, as a practice run's; always a cold pod. Default every check.
   */
  onlyChecks?: readonly string[];
}

/** How services of runtime `id` start in this environment (image, dependency mount, variables). */
export function runtimeLaunch(ctx: GradeContext, id: RuntimeId): RuntimeLaunch {
  const r = RUNTIMES[id];
  return { runtime: id, image: ctx.runtimeImages[id], dependencyMount: r.dependencyMount, env: r.env };
}

/**
 * The setup of a pod of `challenge` (everything but the candidate): images, services, reference, the
 * manifest's candidate limits and start-up time, the OCI runtime, and the candidate runtime its container is
 * started with (`o.candidateRuntime`, default the challenge's first). Cold and warm pods are built from it.
 */
export function challengePodSetup(
  ctx: GradeContext,
  challenge: LoadedChallenge,
  images: ChallengeImages,
  reference: AppCode | null,
  o: {
    runId: string;
    submissionId: string;
    deadline: number;
    candidateRuntime?: RuntimeId;
    /** Default: a random seed in [1, 2^31 − 1). */
    graderSeed?: number;
  },
): PodSetup {
  const limits = resolveLimits(challenge.manifest.limits, ctx.config);
  return {
    runId: o.runId,
    submissionId: o.submissionId,
    worker: ctx.config.WORKER_ID,
    deadline: o.deadline,
    images: {
      owner: ctx.ownerImage,
      grader: images.grader,
      services: images.services,
    },
    candidateLaunch: runtimeLaunch(ctx, o.candidateRuntime ?? challenge.manifest.runtimes[0]!),
    services: challenge.manifest.services,
    secrets: challenge.manifest.secrets,
    reference,
    candidateLimits: limits.candidate,
    startupMs: limits.startupMs,
    runtime: ctx.runtime,
    graderSeed: o.graderSeed ?? crypto.randomInt(1, 2 ** 31 - 1),
    slotDir: path.join(slotsRoot(workerRoot(ctx.config.STACKGRADE_HOME, ctx.config.WORKER_ID)), o.runId),
  };
}

/**
 * Prepares a reference solution of the challenge (its runtime detected among all runtimes, dependency
 * install cached) from `dir` (default the challenge's `reference/`); throws AppError SANDBOX_FAILED.
 */
export async function prepareReference(
  ctx: GradeContext,
  challenge: LoadedChallenge,
  submissionId: string,
  runId: string,
  dir: string = challenge.referenceDir,
): Promise<AppCode> {
  try {
    const refFiles = await readSolutionDir(dir);
    const runtime = selectRuntime(refFiles.keys(), RUNTIME_IDS);
    return await prepareService(ctx, submissionId, refFiles, dir, runId, runtime);
  } catch (err) {
    throw new AppError(
      'SANDBOX_FAILED',
      `the reference solution of ${challenge.manifest.id} could not be prepared: ${String(err)}`,
      { cause: err },
    );
  }
}

/** Reads a solution folder the same way an uploaded archive is read (limits, no node_modules, no links). */
export async function readSolutionDir(dir: string): Promise<SubmissionFiles> {
  return readArchive({ format: 'tar.gz', data: await packDirectory(dir) });
}

/**
 * Makes a solution runnable in a pod on `runtime` (runner/runtimes/): checks its manifest files and installs
 * its dependencies (cached), picks its start command. `dir` is the host folder holding its files.
 * Throws SolutionSetupError (candidate outcome) or AppError SANDBOX_FAILED.
 */
export async function prepareService(
  ctx: GradeContext,
  submissionId: string,
  files: SubmissionFiles,
  dir: string,
  runId: string,
  runtime: RuntimeId,
): Promise<AppCode> {
  const prepared = await RUNTIMES[runtime].prepare(files, {
    docker: ctx.docker,
    image: ctx.runtimeImages[runtime],
    cacheRoot: path.join(ctx.config.STACKGRADE_HOME, 'cache', runtime),
    registry: ctx.registries[runtime],
    timeoutMs: ctx.config.INSTALL_TIMEOUT_MS,
    runId,
    submissionId,
    worker: ctx.config.WORKER_ID,
    caFile: ctx.config.INSTALL_CA_FILE ?? process.env.NODE_EXTRA_CA_CERTS ?? null,
    log: ctx.log,
  });
  return {
    codeDir: dir,
    dependenciesDir: prepared.dependenciesDir,
    startCommand: prepared.startCommand,
    launch: runtimeLaunch(ctx, runtime),
  };
}

/** The provenance of a report of `req` (see recordProvenance); `pod` null when no pod ran. */
function provenanceOf(
  ctx: GradeContext,
  req: GradeRequest,
  graderSeed: number | null,
  pod: PodImages | null,
): Promise<ReportProvenance> {
  return recordProvenance({
    docker: ctx.docker,
    challenge: req.challenge,
    graderSeed,
    files: req.files,
    pod,
    runtimeVersions: ctx.runtimeVersions,
    ...(ctx.runner ? { runner: ctx.runner } : {}),
  });
}

/**
 * Grades one solution end to end: writes its files into a fresh runner-owned folder, installs its
 * dependencies (cached), prepares the reference when the challenge compares performance (the one written for
 * the candidate's runtime when the challenge has it: see referenceDirFor), runs the pod under
 * the manifest's wall-clock limit and turns the outcome into a report carrying its provenance (images of the
 * pod's containers, grader seed, challenge hashes, versions: see recordProvenance). Candidate problems (bad package.json,
 * failed install, crash, timeout) are reports; platform problems throw AppError (retryable when transient).
 */
export async function gradeSubmission(ctx: GradeContext, req: GradeRequest): Promise<GradeReport> {
  const m = req.challenge.manifest;
  const practice = req.mode === 'practice';
  const practiceIds = m.checks.filter((c) => c.practice).map((c) => c.id);
  if (practice && practiceIds.length === 0)
    throw new AppError('CHALLENGE_INVALID', `challenge ${m.id} has no practice checks`);
  const unknownCheck = req.onlyChecks?.find((id) => !m.checks.some((c) => c.id === id));
  if (unknownCheck) throw new AppError('CHALLENGE_INVALID', `challenge ${m.id} has no check ${unknownCheck}`);
  const limits = resolveLimits(m.limits, ctx.config);
  const runId = `${req.submissionId.slice(0, 8)}-${req.attempt}-${crypto.randomBytes(3).toString('hex')}`;
  const work = path.join(workerRoot(ctx.config.STACKGRADE_HOME, ctx.config.WORKER_ID), runId);
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  await fs.mkdir(path.join(work, 'solution'), { recursive: true, mode: 0o755 });
  const progress = req.onProgress ?? (() => undefined);
  // A practice run's grader runs only the practice checks, a measurement only its checks: n/N counts those.
  const selected = req.onlyChecks ?? (practice ? practiceIds : null);
  const checksTotal = selected ? selected.length : m.checks.length;
  const onGraderProgress = (p: { checksDone: number }): void =>
    progress({ stage: 'checks', checks_done: p.checksDone, checks_total: checksTotal });
  try {
    progress({ stage: 'installing' });
    let candidate: AppCode;
    let solutionRuntime: SolutionRuntime | null = null;
    try {
      const runtime = selectRuntime(req.files.keys(), m.runtimes, req.runtime);
      solutionRuntime = { id: runtime, version: ctx.runtimeVersions[runtime] };
      await writeFiles(path.join(work, 'solution'), req.files);
      candidate = await prepareService(
        ctx,
        req.submissionId,
        req.files,
        path.join(work, 'solution'),
        `${runId}-i`,
        runtime,
      );
    } catch (err) {
      const runtimeRefused =
        isAppError(err) && (err.code === 'RUNTIME_UNDETERMINED' || err.code === 'RUNTIME_NOT_ACCEPTED');
      if (err instanceof SolutionSetupError || runtimeRefused) {
        const report = buildReport(m, {
          outcome: null,
          setupFailure: (err as Error).message,
          runtime: ctx.runtime,
          solutionRuntime,
          timingsMs: { setup: Date.now() - t0 },
          practice,
        });
        return { ...report, provenance: await provenanceOf(ctx, req, null, null) };
      }
      throw err;
    }
    timings.prepare = Date.now() - t0;

    progress({ stage: 'pod_starting' });
    const deadline = AbortSignal.timeout(limits.wallMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    // A warm pod when one is ready (the wall-clock limit then starts at the take), else a cold one.
    const takeStart = Date.now();
    const warm =
      ctx.pool && !selected && req.graderSeed === undefined
        ? await ctx.pool.take(WarmPodPool.key(m.id, m.version, candidate.launch.runtime))
        : null;
    let outcome: PodOutcome;
    let setup: PodSetup;
    if (warm) {
      setup = warm.setup;
      const takenMs = Date.now() - takeStart;
      ctx.log.info({ runId, pod: warm.setup.runId }, 'grading in a warm pod');
      outcome = await warm.run(candidate, req.submissionId, signal, { since: takeStart, onGraderProgress });
      // pod_taken: take() until a living warm pod was in hand (the pod's readiness as the grading sees it).
      Object.assign(outcome.timingsMs, {
        pod_taken: takenMs,
        warm_pod: 1,
        warm_pod_idle: takeStart - warm.readyAt,
      });
    } else {
      const reference = m.performance_reference
        ? await prepareReference(
            ctx,
            req.challenge,
            req.submissionId,
            `${runId}-r`,
            await referenceDirFor(req.challenge.dir, candidate.launch.runtime),
          )
        : null;
      timings.prepare = Date.now() - t0;
      setup = challengePodSetup(ctx, req.challenge, req.images, reference, {
        runId,
        submissionId: req.submissionId,
        deadline: Date.now() + limits.wallMs + 120_000,
        candidateRuntime: candidate.launch.runtime,
        ...(req.graderSeed !== undefined ? { graderSeed: req.graderSeed } : {}),
      });
      outcome = await runPod(
        ctx,
        {
          ...setup,
          ...(selected ? { onlyChecks: selected } : {}),
          candidate,
          onGraderProgress,
        },
        signal,
      );
    }
    if (req.signal?.aborted)
      throw new AppError('SANDBOX_FAILED', 'grading was interrupted (runner shutting down)', {
        retryable: true,
      });
    const report = buildReport(m, {
      outcome,
      setupFailure: null,
      runtime: ctx.runtime,
      solutionRuntime,
      timingsMs: timings,
      practice,
      ...(req.onlyChecks ? { onlyChecks: req.onlyChecks } : {}),
    });
    if (report.status === 'error') {
      ctx.log.error(
        { runId, message: report.message, grader: outcome.graderLog.slice(-2000) },
        'grading ended in a platform error',
      );
    }
    const podImages: PodImages = {
      ...setup.images,
      candidate: candidate.launch.image,
      reference: setup.reference?.launch.image ?? null,
    };
    return { ...report, provenance: await provenanceOf(ctx, req, setup.graderSeed, podImages) };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
