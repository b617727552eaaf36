import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  DEFAULT_ARCHIVE_LIMITS,
  packFiles,
  readArchive,
  type ArchiveInput,
  type ArchiveLimits,
} from '../../runner/archive';
import { AppError, isAppError } from '../../runner/contract/app-error';
import type { ChallengeCatalog } from '../../runner/contract/challenge-catalog';
import { selectRuntime, type RuntimeId } from '../../runner/contract/runtime-selection';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import type { SubmissionStore } from '../data-access/submission-store';
import type { GradeQueue } from '../queue/grade-queue';
import type { SubmissionMode } from '../schemas/submission.schema';
import { createPracticeRateLimiter, type PracticeRateLimiter } from './practice-rate-limit';

/** What {@link submitSolution} needs. */
export interface SubmitSolutionDeps {
  store: SubmissionStore;
  queue: GradeQueue;
  catalog: ChallengeCatalog;
  logger: Logger;
  /** Largest accepted upload (archive bytes, or UTF-8 bytes of a files map), bytes. */
  maxUploadBytes: number;
  /** Bounds practice submissions per client and challenge; default an in-process count of the default budget. */
  practiceLimiter?: PracticeRateLimiter;
}

/** A submission as received: the challenge and the candidate's code in any accepted form. */
export interface SubmitSolutionCommand {
  challengeId: string;
  upload: ArchiveInput;
  /** The runtime the client named; detected from the files when absent. */
  runtime?: RuntimeId;
  /** The assessment the submission counts for (a candidate's session); absent for practice. */
  assessment?: NonNullable<SubmissionDocument['assessment']>;
  /**
   * Called once the upload is valid, before anything is stored: checks and takes a limited resource (an
   * attempt) and throws an AppError to refuse. `release` gives it back when storing then fails.
   */
  admit?: { take: () => Promise<void>; release: () => Promise<void> };
  /** `practice`: only the practice checks, unscored; default `graded`. */
  mode?: SubmissionMode;
  /** Who is practising (an API key id, else the client address): the rate limit's key. */
  client?: string;
}

/**
 * Accepts a candidate's solution: checks the challenge exists, reads and validates the whole archive
 * (nothing is stored before it passes), stores it as tar.gz (a tar.gz upload as received, a zip or files
 * map packed) and then the `queued` submission document, and enqueues its grading job. A failed enqueue is
 * logged and tolerated: the document stays `queued` and the runner's reconciler re-enqueues it. A process
 * killed between the two inserts leaves an archive without a document, which nothing serves; the runner's
 * reconciler removes it after a grace period (runner/worker/archive-sweeper.ts).
 * The submission's runtime is chosen before anything is stored (runner/contract/runtime-selection.ts) and
 * recorded in the document; an assessment attempt is taken only after the archive and runtime are valid.
 *
 * @returns the stored submission document.
 * A practice submission (`mode: practice`) needs a challenge with practice checks (else 422) and counts
 * against the client's practice budget for that challenge before anything is read or stored.
 *
 * @throws AppError `CHALLENGE_NOT_FOUND` (404); `VALIDATION_FAILED` (422) for practice on a challenge
 *   without practice checks; `RATE_LIMITED` (429, `details.retry_after_s`) past the practice budget;
 *   `PAYLOAD_TOO_LARGE` (413) when the decoded upload exceeds `maxUploadBytes`; `RUNTIME_UNDETERMINED` /
 *   `RUNTIME_NOT_ACCEPTED` (422, the detail names the marker files found) when no single accepted runtime
 *   fits; `ARCHIVE_INVALID` (422) or
 *   `ARCHIVE_TOO_LARGE` (413) from the archive reader; `STORE_UNAVAILABLE` (503), after undoing the
 *   archive insert when the document insert fails.
 */
export async function submitSolution(
  deps: SubmitSolutionDeps,
  cmd: SubmitSolutionCommand,
): Promise<SubmissionDocument> {
  const challenge = deps.catalog.get(cmd.challengeId);
  if (!challenge) throw new AppError('CHALLENGE_NOT_FOUND', `challenge ${cmd.challengeId} does not exist`);
  const practice = cmd.mode === 'practice';
  if (practice) {
    if (!challenge.manifest.checks.some((c) => c.practice))
      throw new AppError('VALIDATION_FAILED', `challenge ${challenge.manifest.id} has no practice checks`);
    const retryAfterS = await (deps.practiceLimiter ?? defaultLimiter()).consume(
      `${challenge.manifest.id}:${cmd.client ?? 'anonymous'}`,
    );
    if (retryAfterS !== null)
      throw new AppError(
        'RATE_LIMITED',
        `too many practice runs of ${challenge.manifest.id}; retry in ${retryAfterS} s`,
        { details: { retry_after_s: retryAfterS } },
      );
  }

  const size = uploadBytes(cmd.upload);
  if (size > deps.maxUploadBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `the upload is ${size} bytes; the limit is ${deps.maxUploadBytes}`,
    );
  }
  const limits: ArchiveLimits = { ...DEFAULT_ARCHIVE_LIMITS, maxCompressedBytes: deps.maxUploadBytes };
  const files = await readArchive(cmd.upload, limits);
  const runtime = selectRuntime(files.keys(), challenge.manifest.runtimes, cmd.runtime);
  // A tar.gz upload that passed the reader is stored as received: the runner reads it with the same reader
  // and gets the same file set. Re-packing it cost 1.0 ms of CPU per submission on the AMD EPYC bench
  // machine, about a third of the one-process API's CPU per POST (BENCHMARKS.md). Zip uploads and files
  // maps are packed as tar.gz, the one format the runner reads.
  const data = cmd.upload.format === 'tar.gz' ? cmd.upload.data : await packFiles(files);
  if (cmd.admit) await cmd.admit.take();

  const id = randomUUID();
  const now = new Date();
  const doc: SubmissionDocument = {
    _id: id,
    challenge_id: challenge.manifest.id,
    challenge_version: challenge.manifest.version,
    status: 'queued',
    attempt: 0,
    created_at: now,
    updated_at: now,
    leased_by: null,
    lease_until: null,
    archive_sha256: createHash('sha256').update(data).digest('hex'),
    archive_bytes: data.length,
    runtime,
    report: null,
    error: null,
    ...(cmd.assessment ? { assessment: cmd.assessment } : {}),
    ...(practice ? { mode: 'practice' as const } : {}),
  };

  try {
    await deps.store.insertArchive({ _id: id, data, format: 'tar.gz' });
  } catch (err) {
    await cmd.admit?.release().catch(() => undefined);
    throw err;
  }
  try {
    await deps.store.insertSubmission(doc);
  } catch (err) {
    await cmd.admit?.release().catch((releaseErr: unknown) => {
      deps.logger.warn({ err: releaseErr, submission_id: id }, 'could not give back an assessment attempt');
    });
    await deps.store.deleteArchive(id).catch((undoErr: unknown) => {
      deps.logger.error(
        { err: undoErr, submission_id: id },
        'could not remove the archive of a failed submission',
      );
    });
    throw isAppError(err)
      ? err
      : new AppError('STORE_UNAVAILABLE', 'the submission could not be stored', { cause: err });
  }

  try {
    await deps.queue.enqueue(id);
  } catch (err) {
    deps.logger.warn(
      { err, submission_id: id },
      'enqueue failed; the submission stays queued for the reconciler',
    );
  }
  return doc;
}

let inProcessLimiter: PracticeRateLimiter | undefined;
/** The practice limiter of callers that give none: one in-process count per process. */
function defaultLimiter(): PracticeRateLimiter {
  return (inProcessLimiter ??= createPracticeRateLimiter());
}

/** Size of an upload as received: archive bytes, or the UTF-8 bytes of every file of a files map. */
function uploadBytes(upload: ArchiveInput): number {
  if (upload.format === 'files') {
    let total = 0;
    for (const content of Object.values(upload.files)) total += Buffer.byteLength(content, 'utf8');
    return total;
  }
  return upload.data.length;
}
