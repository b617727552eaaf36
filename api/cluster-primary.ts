import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** A worker that exits this many times within {@link RESTART_WINDOW_MS} makes the primary give up. */
export const MAX_RESTARTS_PER_WINDOW = 5;
/** Window of the restart count, ms. */
export const RESTART_WINDOW_MS = 60_000;

/** What the primary of a multi-process API needs. */
export interface ClusterPrimaryOptions {
  /** Worker processes to keep running (config `API_WORKERS`, ≥ 2). */
  workers: number;
  /** Address and port the workers listen on (for the log line only; each worker listens itself). */
  host: string;
  port: number;
  /** How long a worker may drain after SIGTERM before the primary kills it, ms. */
  drainTimeoutMs: number;
  /** Signals the primary handles; defaults to SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
}

/**
 * Runs the API as `workers` processes sharing one listening socket (node:cluster: on Linux the primary
 * accepts each connection and hands it round-robin to a worker; Node.js docs, Cluster, "How it works"). Each
 * worker is a whole API (`api/main.ts` in worker mode: own MongoDB client and queue); the primary serves no
 * request and logs `api listening` once every worker listens.
 *
 * A worker that exits unexpectedly is replaced; more than {@link MAX_RESTARTS_PER_WINDOW} exits within
 * {@link RESTART_WINDOW_MS}, or any exit before all workers listened (a start-up failure such as an
 * unreachable store), stops the others and ends the primary with 1. SIGTERM or SIGINT sends SIGTERM to every
 * worker (each drains its in-flight requests), SIGKILLs those still running after `drainTimeoutMs` + 5 s, and
 * ends with 0 when every worker exited cleanly. A second SIGINT (Ctrl-C again) kills the workers at once; a
 * repeated SIGTERM is ignored (wrappers such as npx and `timeout` deliver one to the process and one to its
 * group; Docker follows its SIGTERM with SIGKILL anyway).
 *
 * @returns the exit code the primary should end with; never throws.
 */
export function runClusterPrimary(o: ClusterPrimaryOptions, logger: Logger): Promise<number> {
  return new Promise<number>((resolve) => {
    const restarts: number[] = [];
    const listening = new Set<number>();
    let started = false;
    let stopping = false;
    let failed = false;
    let killTimer: NodeJS.Timeout | undefined;

    const living = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    const fork = (): void => {
      const w = cluster.fork();
      logger.debug({ worker: w.id, pid: w.process.pid }, 'API worker started');
    };
    const stopAll = (signal: NodeJS.Signals): void => {
      stopping = true;
      for (const w of living()) w.process.kill(signal);
      if (signal !== 'SIGKILL' && !killTimer) {
        killTimer = setTimeout(() => {
          for (const w of living()) {
            logger.warn({ pid: w.process.pid }, 'API worker did not drain in time; killing it');
            w.process.kill('SIGKILL');
          }
        }, o.drainTimeoutMs + 5_000);
        killTimer.unref();
      }
      if (living().length === 0) finish();
    };
    const finish = (): void => {
      if (killTimer) clearTimeout(killTimer);
      for (const s of signals) process.removeListener(s, onSignal);
      cluster.removeListener('listening', onListening);
      cluster.removeListener('exit', onExit);
      logger.info({ code: failed ? 1 : 0 }, 'stopped');
      resolve(failed ? 1 : 0);
    };

    const onListening = (w: Worker): void => {
      listening.add(w.id);
      if (started || listening.size < o.workers) return;
      started = true;
      logger.info(
        { host: o.host, port: o.port, workers: o.workers, pids: living().map((x) => x.process.pid) },
        'api listening',
      );
    };
    const onExit = (w: Worker, code: number | null, signal: string | null): void => {
      listening.delete(w.id);
      const clean = code === 0 && signal === null;
      if (stopping) {
        if (!clean && signal !== 'SIGKILL') failed = true;
        if (living().length === 0) finish();
        return;
      }
      if (!started) {
        logger.fatal({ pid: w.process.pid, code, signal }, 'an API worker exited before it listened');
        failed = true;
        stopAll('SIGTERM');
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS_PER_WINDOW) {
        logger.fatal(
          { exits: restarts.length, windowMs: RESTART_WINDOW_MS },
          'API workers keep exiting; stopping',
        );
        failed = true;
        stopAll('SIGTERM');
        return;
      }
      logger.error({ pid: w.process.pid, code, signal }, 'an API worker exited; starting a replacement');
      fork();
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        if (signal === 'SIGTERM') return;
        logger.warn({ signal }, 'second signal: killing the API workers');
        failed = true;
        stopAll('SIGKILL');
        return;
      }
      logger.info({ signal, workers: living().length }, 'shutting down: draining the API workers');
      stopAll('SIGTERM');
    };

    const signals = o.signals ?? (['SIGTERM', 'SIGINT'] as const);
    for (const s of signals) process.on(s, onSignal);
    cluster.on('listening', onListening);
    cluster.on('exit', onExit);
    for (let i = 0; i < o.workers; i++) fork();
  });
}
