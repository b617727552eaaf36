import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

/** One process `npm start` runs: a TypeScript entry point started with Node.js and tsx's loader. */
export interface ChildSpec {
  /** Short name shown before each of its log lines (`api`, `runner`). */
  name: string;
  /** Entry point, relative to `cwd`. */
  script: string;
  /** `msg` of the pino log line after which the child counts as ready. */
  readyMsg: string;
}

/** Options of {@link ProcessSupervisor}. */
export interface SupervisorOptions {
  /** Folder the children run in (the repository root). */
  cwd: string;
  /** Environment of every child. */
  env: NodeJS.ProcessEnv;
  /** Receives every output line of a child (without newline). */
  onLine: (child: string, line: string) => void;
  /** Receives the supervisor's own messages and their fields. */
  log: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** How long the children may take to stop after SIGTERM before they are killed (SIGKILL), ms. */
  stopTimeoutMs: number;
}

/**
 * Runs several long-lived processes as one service, the way `npm start` runs the API and a runner:
 * starts them, reports when all are ready, stops all when one exits on its own, and on SIGINT/SIGTERM sends
 * SIGTERM to every child once and waits for all of them (SIGKILL after `stopTimeoutMs`, or at a second
 * SIGINT). Every child is started as `node --import tsx <script>` in one process, so signals reach it
 * directly. A terminal's Ctrl-C also reaches the children (same process group): the API and runner treat
 * the SIGTERM that follows as the same request to stop.
 */
export class ProcessSupervisor {
  private readonly procs = new Map<string, ChildProcess>();
  private readonly exits: Promise<{ name: string; code: number | null; signal: NodeJS.Signals | null }>[] =
    [];
  private stopping = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: SupervisorOptions) {}

  /**
   * Starts every child and resolves with the exit code the service should end with: 0 when it was asked to
   * stop and every child exited 0, else 1. `onReady` is called once every child logged its `readyMsg`.
   */
  async run(children: readonly ChildSpec[], onReady: () => void): Promise<number> {
    const pending = new Set(children.map((c) => c.name));
    for (const spec of children) {
      const proc = spawn(process.execPath, ['--import', 'tsx', spec.script], {
        cwd: this.o.cwd,
        env: this.o.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.procs.set(spec.name, proc);
      this.o.log('info', `started ${spec.name}`, { child: spec.name, pid: proc.pid });
      for (const stream of [proc.stdout, proc.stderr]) {
        readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
          if (!line.trim()) return;
          this.o.onLine(spec.name, line);
          if (pending.has(spec.name) && readyMessage(line) === spec.readyMsg) {
            pending.delete(spec.name);
            if (pending.size === 0 && !this.stopping) onReady();
          }
        });
      }
      this.exits.push(
        new Promise((resolve) =>
          proc.once('exit', (code, signal) => resolve({ name: spec.name, code, signal })),
        ),
      );
    }
    const onSignal = (signal: NodeJS.Signals): void => this.requestStop(signal);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      // The first child to end (asked to or not) starts the stop of the others.
      const first = await Promise.race(this.exits);
      const unexpected = !this.stopping;
      if (unexpected) {
        this.o.log('error', `${first.name} exited on its own (${describeExit(first)}): stopping the others`, {
          child: first.name,
        });
        this.requestStop('SIGTERM');
      }
      const all = await Promise.all(this.exits);
      for (const e of all)
        this.o.log(e.code === 0 ? 'info' : 'warn', `${e.name} stopped (${describeExit(e)})`, {
          child: e.name,
          code: e.code,
          signal: e.signal,
        });
      return unexpected || all.some((e) => e.code !== 0) ? 1 : 0;
    } finally {
      clearTimeout(this.killTimer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  /** Sends SIGTERM to every running child once; a second SIGINT kills them (SIGKILL). */
  requestStop(signal: NodeJS.Signals): void {
    if (this.stopping) {
      if (signal === 'SIGINT') {
        this.o.log('warn', 'second Ctrl-C: killing the children');
        this.killAll();
      }
      return;
    }
    this.stopping = true;
    this.o.log('info', `${signal}: stopping ${[...this.procs.keys()].join(' and ')}`);
    for (const proc of this.procs.values()) if (running(proc)) proc.kill('SIGTERM');
    this.killTimer = setTimeout(() => {
      this.o.log('warn', `children still running after ${this.o.stopTimeoutMs} ms: killing them`);
      this.killAll();
    }, this.o.stopTimeoutMs);
    this.killTimer.unref();
  }

  private killAll(): void {
    for (const proc of this.procs.values()) if (running(proc)) proc.kill('SIGKILL');
  }
}

function running(proc: ChildProcess): boolean {
  return proc.exitCode === null && proc.signalCode === null;
}

/** The `msg` of a pino JSON line, else undefined. */
function readyMessage(line: string): unknown {
  if (!line.startsWith('{')) return undefined;
  try {
    return (JSON.parse(line) as { msg?: unknown }).msg;
  } catch {
    return undefined;
  }
}

function describeExit(e: { code: number | null; signal: NodeJS.Signals | null }): string {
  return e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
}
