import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { readArchive, packDirectory, writeFiles, type SubmissionFiles } from '../archive';
import { AppError } from '../contract/app-error';
import type { LoadedChallenge } from '../contract/challenge-catalog';
import type { GradeReport } from '../contract/grade-result.schema';
import type { ChallengeImages } from '../images/image-set';
import type { Logger } from '../lib/logger';
import { runPod, type PodOutcome, type ServiceCode } from '../sandbox/pod';
import type { RunnerConfig } from '../config';
import { buildReport } from './build-report';
import { installDependencies } from './dependency-install';
import { resolveLimits } from './resolve-limits';
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
  const work = path.join(ctx.config.STACKGRADE_HOME, 'work', runId);
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  await fs.mkdir(path.join(work, 'solution'), { recursive: true, mode: 0o755 });
  try {
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
    let reference: ServiceCode | null = null;
    if (m.performance_reference) {
      const refFiles = await readSolutionDir(req.challenge.referenceDir);
      try {
        reference = await prepareService(
          ctx,
          req.submissionId,
          refFiles,
          req.challenge.referenceDir,
          `${runId}-r`,
        );
      } catch (err) {
        throw new AppError(
          'SANDBOX_FAILED',
          `the reference solution of ${m.id} could not be prepared: ${String(err)}`,
          { cause: err },
        );
      }
    }
    timings.prepare = Date.now() - t0;

    const deadline = AbortSignal.timeout(limits.wallMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    const outcome: PodOutcome = await runPod(
      ctx.docker,
      {
        runId,
        submissionId: req.submissionId,
        worker: ctx.config.WORKER_ID,
        deadline: Date.now() + limits.wallMs + 120_000,
        images: {
          owner: ctx.ownerImage,
          runtime: ctx.runtimeImage,
          grader: req.images.grader,
          services: req.images.services,
        },
        services: m.services,
        candidate,
        reference,
        candidateLimits: limits.candidate,
        startupMs: limits.startupMs,
        runtime: ctx.runtime,
        graderSeed: crypto.randomInt(1, 2 ** 31 - 1),
      },
      signal,
      ctx.log,
    );
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
