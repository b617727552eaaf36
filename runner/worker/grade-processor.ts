import { UnrecoverableError, type Job } from 'bullmq';
import { readArchive } from '../archive';
import { isAppError } from '../contract/app-error';
import type { GradingProgress, GradingStage } from '../contract/grading-progress';
import { gradeJobSchema } from '../contract/submission.schema';
import type { GradingEnvironment } from '../grading/grading-environment';
import type { Logger } from '../lib/logger';
import { reapSubmission } from '../sandbox/reaper';
import type { SubmissionRepository } from './submission-repository';
import type { RunnerMetrics } from '../lib/runner-metrics';

/**
 * The BullMQ processor of grading jobs. Idempotent (a finished submission is skipped), leases the
 * submission, grades it and stores the report with compare-and-set. Candidate outcomes are reports; a
 * retryable platform error is rethrown for BullMQ to retry with backoff, and on the last attempt (or for a
 * permanent error) the submission ends `error` and the job fails with UnrecoverableError. The grading's
 * progress ({@link GradingProgress}) is published as the job's progress (BullMQ `progress` event), which
 * the API relays to watching candidates; a progress update that fails is logged and ignored.
 */
export function createGradeProcessor(
  env: GradingEnvironment,
  repo: SubmissionRepository,
  log: Logger,
  /** Called once a submission became final (`completed` or `error`); its failure is logged, never rethrown. */
  onFinished?: (submissionId: string) => Promise<void>,
  /** Counts each attempt (status, duration, pod start) when given. */
  metrics?: RunnerMetrics,
) {
  const finished = async (submissionId: string): Promise<void> => {
    try {
      await onFinished?.(submissionId);
    } catch (err) {
      log.warn({ err: String(err), submissionId }, 'publishing the events of a finished submission failed');
    }
  };
  return async (
    job: Job,
    _token?: string,
    signal?: AbortSignal,
  ): Promise<{ status: string; overall?: number }> => {
    const { submissionId } = gradeJobSchema.parse(job.data);
    const sub = await repo.get(submissionId);
    if (!sub) throw new UnrecoverableError(`submission ${submissionId} does not exist`);
    if (sub.status === 'completed' || sub.status === 'error') return { status: sub.status };
    const challenge = env.catalog.get(sub.challenge_id);
    const wallMs = challenge?.manifest.limits.wall_ms ?? 600_000;
    const attempt = await repo.lease(
      submissionId,
      env.ctx.config.WORKER_ID,
      new Date(Date.now() + wallMs + 10 * 60_000),
    );
    if (attempt === null) return { status: 'skipped' };
    const jlog = log.child({ submissionId, attempt, job: job.id });
    const labels = { challenge: sub.challenge_id, runtime: sub.runtime ?? 'unknown' };
    const started = Date.now();
    let counted = false;
    const count = (status: string): void => {
      counted = true;
      metrics?.gradings.inc({ ...labels, status });
      metrics?.gradingDuration.observe(labels, (Date.now() - started) / 1000);
    };
    // An earlier attempt may have died with its runner and left its pod (docs/architecture.md, "Data flow").
    if (attempt > 1) await reapSubmission(env.ctx.docker, submissionId, jlog);
    try {
      if (!challenge)
        throw new UnrecoverableError(`challenge ${sub.challenge_id} is not in this runner's catalog`);
      const archive = await repo.archive(submissionId);
      if (!archive) throw new UnrecoverableError('the submission archive is missing');
      // Its size was checked by the API against MAX_UPLOAD_BYTES, which may be above the reader's default.
      const files = await readArchive(
        { format: 'tar.gz', data: archive },
        { maxCompressedBytes: archive.length },
      );
      const reached: GradingStage[] = [];
      const onProgress = (p: GradingProgress): void => {
        if (reached[reached.length - 1] !== p.stage) reached.push(p.stage);
        job
          .updateProgress({ ...p, reached: [...reached] })
          .catch((err: unknown) => jlog.debug({ err: String(err) }, 'progress not sent'));
      };
      const report = await env.grade(sub.challenge_id, {
        files,
        ...(sub.runtime ? { runtime: sub.runtime } : {}),
        submissionId,
        attempt,
        onProgress,
        ...(sub.mode === 'practice' ? { mode: 'practice' as const } : {}),
        ...(signal ? { signal } : {}),
      });
      const prepareMs = report.sandbox.timings_ms.prepare;
      if (prepareMs !== undefined) metrics?.podStart.observe({ source: 'grading' }, prepareMs / 1000);
      if (report.runtime) labels.runtime = report.runtime.id;
      count(report.status);
      if (report.status === 'error')
        throw Object.assign(new Error(`grading failed: ${report.message}`), { retryable: true });
      const stored = await repo.complete(submissionId, attempt, report);
      jlog.info({ overall: report.scores.overall, status: report.status, stored }, 'graded');
      if (stored) await finished(submissionId);
      return { status: report.status, overall: report.scores.overall };
    } catch (err) {
      if (!counted) count('error');
      const retryable = !(err instanceof UnrecoverableError) && (isAppError(err) ? err.retryable : true);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      jlog.error({ err: String(err), retryable, lastAttempt }, 'grading attempt failed');
      if (retryable && !lastAttempt) {
        await repo.requeue(submissionId, attempt);
        throw err instanceof Error ? err : new Error(String(err));
      }
      const failed = await repo.fail(
        submissionId,
        attempt,
        isAppError(err) ? err.code : 'INTERNAL',
        err instanceof Error ? err.message : String(err),
      );
      if (failed) await finished(submissionId);
      throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
    }
  };
}
