import { Job, Queue, QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import { gradingProgressSchema, type GradingProgress } from '../../runner/contract/grading-progress';
import { gradeJobId } from '../../runner/contract/queue-names';

/** What a {@link ProgressFeed} tells a watcher of one submission. */
export type ProgressUpdate =
  | { kind: 'progress'; progress: GradingProgress }
  /** The job ended (completed or failed): the submission document holds the outcome. */
  | { kind: 'ended' };

/** Live progress of gradings, per submission. */
export interface ProgressFeed {
  /** Calls `listener` for each update of this submission's job until the returned function is called. */
  subscribe(submissionId: string, listener: (u: ProgressUpdate) => void): () => void;
  /**
   * The last progress the runner published for this submission's job (with the stages it `reached`), or null
   * when there is none yet, the job is gone, or the queue cannot be read (the stream then waits for events).
   */
  current(submissionId: string): Promise<GradingProgress | null>;
  /** Releases the feed's connections. */
  close(): Promise<void>;
}

/** Options of {@link BullMqProgressFeed}. */
export interface BullMqProgressFeedOptions {
  /** `redis://` or `rediss://` URL. */
  redisUrl: string;
  /** BullMQ queue name of grading jobs (the runner's `QUEUE_NAME`). */
  queueName: string;
  logger?: Logger;
}

/**
 * {@link ProgressFeed} on BullMQ's queue events (a Redis stream the runners write): the runner's
 * `job.updateProgress` arrives as `progress`, the job's end as `completed` or `failed`; {@link current}
 * reads the job's stored progress. Two Redis connections per API process (events and job reads), shared by
 * every watcher. A progress value that is not a valid {@link GradingProgress} is dropped.
 */
export class BullMqProgressFeed implements ProgressFeed {
  private readonly events: QueueEvents;
  private readonly queue: Queue;
  private readonly listeners = new Map<string, Set<(u: ProgressUpdate) => void>>();

  constructor(opts: BullMqProgressFeedOptions) {
    this.events = new QueueEvents(opts.queueName, { connection: { url: opts.redisUrl } });
    this.queue = new Queue(opts.queueName, { connection: { url: opts.redisUrl } });
    this.queue.on('error', (err: Error) =>
      opts.logger?.warn({ err, queue: opts.queueName }, 'progress feed queue connection error'),
    );
    this.events.on('error', (err: Error) =>
      opts.logger?.warn({ err, queue: opts.queueName }, 'progress feed connection error'),
    );
    this.events.on('progress', ({ jobId, data }) => {
      const parsed = gradingProgressSchema.safeParse(data);
      if (parsed.success) this.emit(jobId, { kind: 'progress', progress: parsed.data });
    });
    this.events.on('completed', ({ jobId }) => this.emit(jobId, { kind: 'ended' }));
    this.events.on('failed', ({ jobId }) => this.emit(jobId, { kind: 'ended' }));
  }

  /** Resolves once the feed reads the queue's events (tests wait for it before a job starts). */
  async ready(): Promise<void> {
    await this.events.waitUntilReady();
  }

  subscribe(submissionId: string, listener: (u: ProgressUpdate) => void): () => void {
    const key = gradeJobId(submissionId);
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  async current(submissionId: string): Promise<GradingProgress | null> {
    try {
      const job = await Job.fromId(this.queue, gradeJobId(submissionId));
      const parsed = gradingProgressSchema.safeParse(job?.progress);
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private emit(jobId: string, u: ProgressUpdate): void {
    for (const l of this.listeners.get(jobId) ?? []) l(u);
  }

  async close(): Promise<void> {
    await Promise.all([this.events.close(), this.queue.close()]);
  }
}
