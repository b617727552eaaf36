import type Docker from 'dockerode';
import type { Logger } from '../lib/logger';

/** What {@link EngineWatch} pauses: a BullMQ Worker (`pause(true)` leaves running jobs alone). */
export interface PausableWorker {
  pause(doNotWaitActive?: boolean): Promise<void>;
  resume(): Promise<void> | void;
}

/** Options of {@link EngineWatch}. */
export interface EngineWatchOptions {
  docker: Pick<Docker, 'ping'>;
  worker: PausableWorker;
  log: Logger;
  /** How often the engine is pinged, ms. */
  intervalMs: number;
  /** A ping unanswered this long counts as a failure, ms (a hung engine answers nothing). */
  timeoutMs: number;
}

/**
 * Keeps a runner from taking grading jobs while its Docker engine does not answer (docs/scaling.md,
 * "Several runner hosts"). Without it, a runner whose engine died goes on leasing submissions and failing
 * them, spending their BullMQ attempts while a runner on another host could grade them. Every `intervalMs`
 * the engine is pinged: on the first failure the worker is paused without waiting for its running jobs
 * (they fail on their own as retryable platform errors and are retried, by another runner); on the first
 * answer after that it is resumed. One check at a time; never throws.
 */
export class EngineWatch {
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private down = false;

  constructor(private readonly o: EngineWatchOptions) {}

  /** Whether the last check found the engine answering (true before the first check). */
  get engineUp(): boolean {
    return !this.down;
  }

  /** Starts checking every `intervalMs`. Idempotent. */
  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.o.intervalMs);
  }

  /** Stops checking (a paused worker stays paused; the runner is closing it). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Pings the engine once and pauses or resumes the worker on a change; resolves to whether it answered. */
  async check(): Promise<boolean> {
    if (this.checking) return !this.down;
    this.checking = true;
    try {
      const up = await this.ping();
      if (!up && !this.down) {
        this.down = true;
        this.o.log.error('the Docker engine does not answer: taking no grading jobs until it does');
        await this.o.worker.pause(true);
      } else if (up && this.down) {
        this.down = false;
        this.o.log.info('the Docker engine answers again: taking grading jobs');
        await this.o.worker.resume();
      }
      return up;
    } catch (err) {
      this.o.log.warn({ err: String(err) }, 'engine watch: pausing or resuming the worker failed');
      return !this.down;
    } finally {
      this.checking = false;
    }
  }

  private async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.o.timeoutMs);
    });
    try {
      return await Promise.race([
        this.o.docker.ping().then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
