import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { readArchive, packDirectory, writeFiles, type SubmissionFiles } from '../archive';
import { AppError } from '../contract/app-error';
import type { LoadedChallenge } from '../contract/challenge-catalog';
import type { GradeReport } from '../contract/grade-result.schema';
import type { GradingProgress } from '../contract/grading-progress';
import type { ChallengeImages } from '../images/image-set';
import type { Logger } from '../lib/logger';
import { runPod, type PodOutcome, type PodSetup, type ServiceCode } from '../sandbox/pod';
import type { RunnerConfig } from '../config';
import { WarmPodPool } from './warm-pod-pool';
import { buildReport } from './build-report';
import { installDependencies } from './dependency-install';
import { resolveLimits } from './resolve-limits';
import { slotsRoot, workerRoot } from './work-folders';
import { parseSolutionPackage, SolutionSetupError } from './solution-package';

/** What {@link gradeSubmission} needs besides the files. */
export interface GradeContext {
  docker: Docker;
  config: RunnerConfig;
  runtime: 'runsc' | 'runc';
  runtimeImage: string;
  ownerImage: string;
  registry: string;
  log: Logger;
  /** Warm pods to take instead of starting a cold one (runner process only; see GradingEnvironment). */
  pool?: WarmPodPool;
}

/** One grading run's identity. */
export interface GradeRequest {
  challenge: LoadedChallenge;
  images: ChallengeImages;
  files: SubmissionFiles;
  submissionId: string;
  attempt: number;
  /** Aborts the run (shutdown); the deadline from the manifest is applied on top. */
  signal?: AbortSignal;
  /** Told as the grading moves on (installing, pod starting, checks n/N); must not throw. */
  onProgress?: (p: GradingProgress) => void;
}

/**
 * The setup of a pod of `challenge` (everything but the candidate): images, services, reference, the
 * manifest's candidate limits and start-up time, the runtime. Cold and warm pods are built from it alike.
 */
export function challengePodSetup(
  ctx: GradeContext,
  challenge: LoadedChallenge,
  images: ChallengeImages,
  reference: ServiceCode | null,
  o: { runId: string; submissionId: string; deadline: number },
): PodSetup {
  const limits = resolveLimits(challenge.manifest.limits, ctx.config);
  return {
    runId: o.runId,
    submissionId: o.submissionId,
    worker: ctx.config.WORKER_ID,
    deadline: o.deadline,
    images: {
      owner: ctx.ownerImage,
      runtime: ctx.runtimeImage,
      grader: images.grader,
      services: images.services,
    },
    services: challenge.manifest.services,
    reference,
    candidateLimits: limits.candidate,
    startupMs: limits.startupMs,
    runtime: ctx.runtime,
    graderSeed: crypto.randomInt(1, 2 ** 31 - 1),
    slotDir: path.join(slotsRoot(workerRoot(ctx.config.STACKGRADE_HOME, ctx.config.WORKER_ID)), o.runId),
  };
}

/** Prepares the challenge's reference solution (dependency install, cached); throws AppError SANDBOX_FAILED. */
export async function prepareReference(
  ctx: GradeContext,
  challenge: LoadedChallenge,
  submissionId: string,
  runId: string,
): Promise<ServiceCode> {
  const refFiles = await readSolutionDir(challenge.referenceDir);
  try {
    return await prepareService(ctx, submissionId, refFiles, challenge.referenceDir, runId);
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
 * Makes a solution runnable in a pod: parses its package.json (SolutionSetupError when invalid) and
 * installs its dependencies (cached; see installDependencies). `dir` is the host folder holding its files.
 */
export async function prepareService(
  ctx: GradeContext,
  submissionId: string,
  files: SubmissionFiles,
  dir: string,
  runId: string,
): Promise<ServiceCode> {
  const pkg = parseSolutionPackage(files.get('package.json'), files.get('package-lock.json'), ctx.registry);
  const nodeModulesDir = await installDependencies(
    ctx.docker,
    pkg,
    {
      image: ctx.runtimeImage,
      cacheRoot: path.join(ctx.config.STACKGRADE_HOME, 'cache', 'node-modules'),
      registry: ctx.registry,
      timeoutMs: ctx.config.INSTALL_TIMEOUT_MS,
      runId,
      submissionId,
      worker: ctx.config.WORKER_ID,
      caFile: ctx.config.INSTALL_CA_FILE ?? process.env.NODE_EXTRA_CA_CERTS ?? null,
    },
    ctx.log,
  );
  return { codeDir: dir, nodeModulesDir, startCommand: pkg.startCommand };
}

/**
 * Grades one solution end to end: writes its files into a fresh runner-owned folder, installs its
 * dependencies (cached), prepares the reference when the challenge compares performance, runs the pod under
 * the manifest's wall-clock limit and turns the outcome into a report. Candidate problems (bad package.json,
 * failed install, crash, timeout) are reports; platform problems throw AppError (retryable when transient).
 */
export async function gradeSubmission(ctx: GradeContext, req: GradeRequest): Promise<GradeReport> {
  const m = req.challenge.manifest;
  const limits = resolveLimits(m.limits, ctx.config);
  const runId = `${req.submissionId.slice(0, 8)}-${req.attempt}-${crypto.randomBytes(3).toString('hex')}`;
  const work = path.join(workerRoot(ctx.config.STACKGRADE_HOME, ctx.config.WORKER_ID), runId);
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  await fs.mkdir(path.join(work, 'solution'), { recursive: true, mode: 0o755 });
  const progress = req.onProgress ?? (() => undefined);
  const checksTotal = m.checks.length;
  const onGraderProgress = (p: { checksDone: number }): void =>
    progress({ stage: 'checks', checks_done: p.checksDone, checks_total: checksTotal });
  try {
    progress({ stage: 'installing' });
    let candidate: ServiceCode;
    try {
      await writeFiles(path.join(work, 'solution'), req.files);
      candidate = await prepareService(
        ctx,
        req.submissionId,
        req.files,
        path.join(work, 'solution'),
        `${runId}-i`,
      );
    } catch (err) {
      if (err instanceof SolutionSetupError) {
        return buildReport(m, {
          outcome: null,
          setupFailure: err.message,
          runtime: ctx.runtime,
          timingsMs: { setup: Date.now() - t0 },
        });
      }
      throw err;
    }
    timings.prepare = Date.now() - t0;

    progress({ stage: 'pod_starting' });
    const deadline = AbortSignal.timeout(limits.wallMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    // A warm pod when one is ready (the wall-clock limit then starts at the take), else a cold one.
    const takeStart = Date.now();
    const warm = ctx.pool ? await ctx.pool.take(WarmPodPool.key(m.id, m.version)) : null;
    let outcome: PodOutcome;
    if (warm) {
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
        ? await prepareReference(ctx, req.challenge, req.submissionId, `${runId}-r`)
        : null;
      timings.prepare = Date.now() - t0;
      outcome = await runPod(
        ctx.docker,
        {
          ...challengePodSetup(ctx, req.challenge, req.images, reference, {
            runId,
            submissionId: req.submissionId,
            deadline: Date.now() + limits.wallMs + 120_000,
          }),
          candidate,
          onGraderProgress,
        },
        signal,
        ctx.log,
      );
    }
    if (req.signal?.aborted)
      throw new AppError('SANDBOX_FAILED', 'grading was interrupted (runner shutting down)', {
        retryable: true,
      });
    const report = buildReport(m, { outcome, setupFailure: null, runtime: ctx.runtime, timingsMs: timings });
    if (report.status === 'error') {
      ctx.log.error(
        { runId, message: report.message, grader: outcome.graderLog.slice(-2000) },
        'grading ended in a platform error',
      );
    }
    return report;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
