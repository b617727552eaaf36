import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { AppError } from '../../runner/contract/app-error';
import { GRADE_JOB_OPTIONS, GRADE_QUEUE, gradeJobId } from '../../runner/contract/queue-names';
import type { GradeJob } from '../../runner/contract/submission.schema';

/** Hands submissions to the runners. */
export interface GradeQueue {
  /**
   * Enqueues the grading job of a stored submission; idempotent (the job id derives from the submission id).
   *
   * @throws AppError `QUEUE_UNAVAILABLE` (503, retryable) when the queue does not accept the job in time.
   */
  enqueue(submissionId: string): Promise<void>;
  /** Releases the queue's connections. */
  close(): Promise<void>;
}

/** Options of {@link BullMqGradeQueue}. */
export interface BullMqGradeQueueOptions {
  /** `redis://` or `rediss://` URL. */
  redisUrl: string;
  /** BullMQ queue name; defaults to {@link GRADE_QUEUE} (tests use a unique one). */
  queueName?: string;
  /** BullMQ key prefix; defaults to BullMQ's `bull`. */
  prefix?: string;
  /** How long {@link BullMqGradeQueue.enqueue} waits for Redis before failing, milliseconds; default 2000. */
  enqueueTimeoutMs?: number;
  logger?: Logger;
}

/** Job options of every grading job (one definition, shared with the runner's reconciler). */
export { GRADE_JOB_OPTIONS };

/**
 * {@link GradeQueue} on a BullMQ `Queue`. Its Redis connection has `enableOfflineQueue: false`, and
 * every enqueue is bounded by a timeout, so a Redis outage fails the call quickly instead of holding
 * the HTTP request (the runner's reconciler re-enqueues submissions left `queued`).
 */
export class BullMqGradeQueue implements GradeQueue {
  /** The underlying BullMQ queue (tests read jobs through it). */
  readonly queue: Queue<GradeJob>;
  private readonly enqueueTimeoutMs: number;
  private lastError: string | undefined;

  constructor(opts: BullMqGradeQueueOptions) {
    this.enqueueTimeoutMs = opts.enqueueTimeoutMs ?? 2_000;
    this.queue = new Queue<GradeJob>(opts.queueName ?? GRADE_QUEUE, {
      connection: { url: opts.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
      ...(opts.prefix ? { prefix: opts.prefix } : {}),
    });
    // Without a listener an ioredis connection error would be thrown; log each distinct one once.
    this.queue.on('error', (err: Error) => {
      if (err.message === this.lastError) return;
      this.lastError = err.message;
      opts.logger?.warn({ err, queue: this.queue.name }, 'grade queue connection error');
    });
  }

  async enqueue(submissionId: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from Redis within ${this.enqueueTimeoutMs} ms`)),
        this.enqueueTimeoutMs,
      );
    });
    const add = this.queue.add(
      'grade',
      { submissionId },
      { ...GRADE_JOB_OPTIONS, jobId: gradeJobId(submissionId) },
    );
    add.catch(() => undefined); // it may settle after the timeout won
    try {
      await Promise.race([add, timeout]);
      this.lastError = undefined;
    } catch (cause) {
      throw new AppError('QUEUE_UNAVAILABLE', `could not enqueue submission ${submissionId}`, {
        retryable: true,
        cause,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
