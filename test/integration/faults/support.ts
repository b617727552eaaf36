/**
 * Harness of the fault-injection tests: the real API (`api/main.ts`) and runner (`runner/main.ts`) as child
 * processes with their own environment, private Redis and FerretDB instances that a test may kill and restart
 * (the shared ones on 6379/27017 are never touched), and helpers to submit the orders-api starter, watch the
 * submission document and the pod containers. Every name is unique per test (database, queue, worker id).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Queue } from 'bullmq';
import Docker from 'dockerode';
import { MongoClient, type Db } from 'mongodb';
import { EVENT_PREFIX } from '../../../grader/protocol';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { workerRoot } from '../../../runner/grading/work-folders';
import { LABELS } from '../../../runner/sandbox/labels';

/** Repository root (the child processes run from here). */
export const ROOT = path.resolve(__dirname, '../../..');

/** The shared services of the integration project (never restarted by these tests). */
export const SHARED_MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';
export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Where setup-host.sh keeps the FerretDB binary. */
export const STACKGRADE_HOME = process.env.STACKGRADE_HOME ?? '/var/lib/stackgrade';
export const FERRETDB_BIN = path.join(STACKGRADE_HOME, 'bin', 'ferretdb-v1.24.2');

export const docker = new Docker({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' });

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > until)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`,
      );
    await sleep(everyMs);
  }
}

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** After a child's `exit`, how long to wait for its output pipes to close before giving up on them, ms. */
const OUTPUT_DRAIN_MS = 3_000;

/**
 * A child process whose output lines are kept (JSON log lines parsed) and can be waited for.
 *
 * Lines are read whole (node:readline), so a line split across two pipe reads is kept. `exited` resolves after
 * the child's `close` event (its stdout and stderr ended), not at `exit`: Node.js emits `exit` when the process
 * ended, possibly before the last lines it wrote were read (Node.js docs, child_process, event 'exit'). A
 * descendant that inherited the pipes (an API cluster worker) can keep them open after the child ended; then
 * `exited` resolves {@link OUTPUT_DRAIN_MS} after `exit`.
 */
export class Child {
  readonly lines: Record<string, unknown>[] = [];
  readonly text: string[] = [];
  readonly exited: Promise<number | null>;
  /** True once {@link exited} resolved: no more lines will come. */
  private ended = false;

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    const onLine = (line: string): void => {
      if (!line.trim()) return;
      this.text.push(line);
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        /* not a JSON log line */
      }
    };
    for (const stream of [proc.stdout, proc.stderr])
      if (stream) readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
    this.exited = new Promise((resolve) =>
      proc.once('exit', (code) => {
        const done = (): void => {
          clearTimeout(late);
          this.ended = true;
          resolve(code);
        };
        const late = setTimeout(done, OUTPUT_DRAIN_MS);
        proc.once('close', done);
      }),
    );
  }

  /** Spawns `command args` with `env` added to this process's environment. */
  static spawn(name: string, command: string, args: string[], env: Record<string, string> = {}): Child {
    const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
    return new Child(name, proc);
  }

  /** Runs a TypeScript entry point in one node process (no tsx wrapper process, so signals reach it). */
  static tsx(name: string, script: string, env: Record<string, string>): Child {
    return Child.spawn(name, process.execPath, ['--import', 'tsx', script], env);
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Waits for a log line whose `msg` equals `msg` (and that matches `where`), after index `from`. */
  waitForLog(msg: string, timeoutMs: number, from = 0): Promise<Record<string, unknown>> {
    return waitFor(
      `${this.name} to log "${msg}"`,
      () => {
        if (this.ended && !this.lines.slice(from).some((l) => l.msg === msg))
          throw new Error(`${this.name} exited: ${this.text.slice(-15).join('\n')}`);
        return this.lines.slice(from).find((l) => l.msg === msg);
      },
      timeoutMs,
    );
  }

  /** Sends `signal` and waits for the process to exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    if (!this.alive) return;
    this.proc.kill(signal);
    const t = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(t);
  }
}

/** A private redis-server (AOF on, `appendfsync everysec`, noeviction: setup-host.sh's settings) in `dir`. */
export class PrivateRedis {
  child: Child | undefined;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<PrivateRedis> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sg-redis-'));
    const r = new PrivateRedis(await freePort(), dir);
    await r.start();
    return r;
  }

  async start(): Promise<void> {
    this.child = Child.spawn('redis', 'redis-server', [
      '--bind',
      '127.0.0.1',
      '--port',
      String(this.port),
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ]);
    await waitFor(
      `redis on ${this.port}`,
      async () => ((await tcpOpen(this.port)) ? true : undefined),
      10_000,
    );
  }

  /** Kills the server with SIGKILL (a crash: only what AOF fsynced survives). */
  async kill(): Promise<void> {
    await this.child?.stop('SIGKILL');
  }

  async destroy(): Promise<void> {
    await this.child?.stop('SIGKILL');
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** A private FerretDB (SQLite handler, telemetry off: setup-host.sh's flags) with its own state dir and ports. */
export class PrivateFerret {
  child: Child | undefined;
  constructor(
    readonly port: number,
    readonly debugPort: number,
    readonly dir: string,
  ) {}

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<PrivateFerret> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sg-ferret-'));
    await fs.mkdir(path.join(dir, 'data'));
    const f = new PrivateFerret(await freePort(), await freePort(), dir);
    await f.start();
    return f;
  }

  async start(): Promise<void> {
    this.child = Child.spawn(
      'ferretdb',
      FERRETDB_BIN,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dir}/data/?_pragma=synchronous(normal)`,
        `--listen-addr=127.0.0.1:${this.port}`,
        `--debug-addr=127.0.0.1:${this.debugPort}`,
        `--state-dir=${this.dir}`,
        '--telemetry=disable',
        '--log-level=warn',
      ],
      { DO_NOT_TRACK: '1' },
    );
    await waitFor(
      `ferretdb on ${this.port}`,
      async () => ((await tcpOpen(this.port)) ? true : undefined),
      15_000,
    );
  }

  async kill(): Promise<void> {
    await this.child?.stop('SIGKILL');
  }

  async destroy(): Promise<void> {
    await this.child?.stop('SIGKILL');
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** Names and addresses one fault test uses. */
export interface Stack {
  mongoUri: string;
  redisUrl: string;
  dbName: string;
  queueName: string;
  workerId: string;
}

/** A fresh stack description on the given (or shared) services. */
export function newStack(o: { mongoUri?: string; redisUrl?: string } = {}): Stack {
  const tag = randomUUID().slice(0, 8);
  return {
    mongoUri: o.mongoUri ?? SHARED_MONGODB_URI,
    redisUrl: o.redisUrl ?? SHARED_REDIS_URL,
    dbName: `fault_${tag}`,
    queueName: `test-fault-${tag}`,
    workerId: `fault-runner-${tag}`,
  };
}

/**
 * Runner environment of the fault tests: short BullMQ lock (15 s) and stalled check (5 s) so a killed runner's
 * job is re-run in seconds, reconciler every 2 s with a 5 s grace, one pod at a time, no warm pods (the tests
 * count the worker's containers; the warm pool has its own test, test/integration/runner/warm-pod-pool.test.ts).
 */
export function runnerEnv(s: Stack, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: s.redisUrl,
    MONGODB_URI: s.mongoUri,
    MONGODB_DB: s.dbName,
    QUEUE_NAME: s.queueName,
    WORKER_ID: s.workerId,
    RUNNER_CONCURRENCY: '1',
    JOB_LOCK_MS: '15000',
    STALLED_INTERVAL_MS: '5000',
    RECONCILE_INTERVAL_MS: '2000',
    QUEUED_GRACE_MS: '5000',
    REAPER_INTERVAL_MS: '60000',
    WARM_PODS: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Starts `runner/main.ts` and waits until it consumes jobs. */
export async function startRunner(s: Stack, extra: Record<string, string> = {}): Promise<Child> {
  const runner = Child.tsx('runner', 'runner/main.ts', runnerEnv(s, extra));
  await runner.waitForLog('runner started', 120_000);
  return runner;
}

/**
 * Starts `api/main.ts` on a free port (or `port`) with `extra` environment variables and waits until it
 * listens; returns it with its base URL.
 */
export async function startApi(
  s: Stack,
  port?: number,
  extra: Record<string, string> = {},
): Promise<{ api: Child; url: string }> {
  const p = port ?? (await freePort());
  const api = Child.tsx('api', 'api/main.ts', {
    API_PORT: String(p),
    API_HOST: '127.0.0.1',
    MONGODB_URI: s.mongoUri,
    MONGODB_DB: s.dbName,
    REDIS_URL: s.redisUrl,
    QUEUE_NAME: s.queueName,
    LOG_LEVEL: 'info',
    ...extra,
  });
  await api.waitForLog('api listening', 60_000);
  return { api, url: `http://127.0.0.1:${p}` };
}

/** The orders-api starter's files (path → text), the submission every fault test grades (~30 s a run). */
export async function starterFiles(): Promise<Record<string, string>> {
  const dir = path.join(ROOT, 'challenges', 'orders-api', 'starter');
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else out[r] = await fs.readFile(path.join(dir, r), 'utf8');
    }
  };
  await walk('');
  return out;
}

/** POSTs the starter to the API; returns the HTTP status and the body. */
export async function submit(
  url: string,
  files: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown>; type: string }> {
  const res = await fetch(`${url}/v1/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ challenge_id: 'orders-api', files }),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: (await res.json()) as Record<string, unknown>,
  };
}

/** A MongoClient that fails fast (1 s server selection) for polling a store that may be down. */
export function storeClient(uri: string): MongoClient {
  return new MongoClient(uri, { serverSelectionTimeoutMS: 1_000 });
}

/** Waits until submission `id` is `completed` or `error` (store errors while polling are retried). */
export async function waitFinished(db: Db, id: string, timeoutMs: number): Promise<SubmissionDocument> {
  return waitFor(
    `submission ${id} to finish`,
    async () => {
      const doc = await db.collection<SubmissionDocument>('submissions').findOne({ _id: id });
      return doc && (doc.status === 'completed' || doc.status === 'error') ? doc : undefined;
    },
    timeoutMs,
    500,
  );
}

/** Containers (any state) of submission `id`. */
export function podContainers(id: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.version}=1`, `${LABELS.submission}=${id}`] },
  });
}

/**
 * Containers of submission `id` once its teardown had time to finish: the runner removes a pod's containers
 * after the report is stored (off the critical path), so this polls for up to `timeoutMs` (default 30 s)
 * and returns what is still there; a leak shows as a non-empty list.
 */
export async function podContainersAfterTeardown(
  id: string,
  timeoutMs = 30_000,
): Promise<Docker.ContainerInfo[]> {
  return waitFor(
    `the pod of ${id} to be removed`,
    async () => ((await podContainers(id)).length === 0 ? [] : undefined),
    timeoutMs,
  ).catch(() => podContainers(id));
}

/** The grader's log line once the candidate's service answers its health endpoint (grader/suite.ts). */
const CANDIDATE_READY_EVENT = `${EVENT_PREFIX}${JSON.stringify({ event: 'candidate-ready' })}`;

/**
 * Waits until the pod of submission `id` is in the middle of its grading run: the candidate's service answers
 * (the grader's log has its `candidate-ready` event). The candidate's container alone says less: it runs
 * from the pod's start, as the launcher of an empty slot (runner/sandbox/candidate-slot.ts).
 */
export async function waitForRunningPod(id: string, timeoutMs: number): Promise<Docker.ContainerInfo[]> {
  return waitFor(
    `the pod of ${id} to run its candidate's service`,
    async () => {
      const list = await podContainers(id);
      const grader = list.find((c) => c.Labels[LABELS.role] === 'grader' && c.State === 'running');
      if (!grader || !list.some((c) => c.Labels[LABELS.role] === 'app' && c.State === 'running'))
        return undefined;
      const log = await docker
        .getContainer(grader.Id)
        .logs({ stdout: true, stderr: false, follow: false })
        .catch(() => Buffer.alloc(0));
      return log.includes(CANDIDATE_READY_EVENT) ? list : undefined;
    },
    timeoutMs,
    250,
  );
}

/** Removes every container of the given submissions (cleanup of a failed test; only our own labels). */
export async function removePods(ids: string[]): Promise<void> {
  for (const id of ids)
    for (const c of await podContainers(id).catch(() => []))
      await docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined);
}

/** Prints a measured recovery time (no assertion: speed is measured, not asserted). */
export function reportRecovery(fault: string, ms: number, extra = ''): void {
  process.stdout.write(
    `[fault] ${fault}: recovered in ${(ms / 1000).toFixed(1)} s${extra ? ` (${extra})` : ''}\n`,
  );
}

/** Whether the Docker engine answers a ping. */
export async function dockerUp(): Promise<boolean> {
  return docker.ping().then(
    () => true,
    () => false,
  );
}

/** Pids of running `dockerd` processes (from /proc; no pidof dependency). */
export async function dockerdPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await fs.readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'dockerd') pids.push(Number(entry));
  }
  return pids;
}

/** Starts dockerd the way scripts/setup-host.sh does (`nohup dockerd`, log appended), detached from the test. */
export async function startDockerd(): Promise<void> {
  const logDir = path.join(STACKGRADE_HOME, 'log');
  await fs.mkdir(logDir, { recursive: true });
  const log = await fs.open(path.join(logDir, 'dockerd.log'), 'a');
  const proc = spawn('nohup', ['dockerd'], { detached: true, stdio: ['ignore', log.fd, log.fd] });
  proc.unref();
  await log.close();
  await waitFor('dockerd to answer', async () => ((await dockerUp()) ? true : undefined), 90_000, 500);
}

/**
 * Restarts the Docker daemon: SIGTERM to dockerd (without live-restore it stops every container), wait for it
 * to exit, start it again like setup-host.sh. Whatever fails, a dockerd is running afterwards.
 */
export async function restartDockerd(): Promise<void> {
  try {
    for (const pid of await dockerdPids()) process.kill(pid, 'SIGTERM');
    await waitFor(
      'dockerd to exit',
      async () => ((await dockerdPids()).length === 0 ? true : undefined),
      90_000,
      250,
    );
  } finally {
    await ensureDockerd();
  }
}

/** Starts dockerd if no dockerd process runs; waits until the engine answers. */
export async function ensureDockerd(): Promise<void> {
  if ((await dockerdPids()).length === 0) await startDockerd();
  await waitFor('dockerd to answer', async () => ((await dockerUp()) ? true : undefined), 90_000, 500);
}

/** Options of {@link useFaultStack}. */
export interface FaultStackOptions {
  /** Run on a private Redis the test may kill ({@link PrivateRedis}); default the shared one. */
  privateRedis?: boolean;
  /** Run on a private FerretDB the test may kill ({@link PrivateFerret}); default the shared one. */
  privateFerret?: boolean;
  /** Open a BullMQ Queue on the stack's queue (obliterated at the end). */
  queue?: boolean;
  /** Runs first in the cleanup (e.g. making sure dockerd is up again before pods are removed). */
  beforeCleanup?: () => Promise<void>;
}

/** What {@link useFaultStack} gives a fault test; the getters throw when read before `beforeAll` ran. */
export interface FaultStack {
  readonly stack: Stack;
  readonly mongo: MongoClient;
  /** The stack's database. */
  readonly db: Db;
  /** The BullMQ queue (only with `queue: true`). */
  readonly queue: Queue;
  readonly redis: PrivateRedis;
  readonly ferret: PrivateFerret;
  /** Child processes the test started (SIGKILLed at the end). */
  readonly children: Child[];
  /** Submission ids the test created (their pods are removed at the end). */
  readonly ids: string[];
  /**
   * Starts the API and then a runner on the stack (both pushed to {@link FaultStack.children}); `runnerEnv`
   * adds runner variables (e.g. RUNNER_CONCURRENCY).
   */
  startApiAndRunner(runnerEnv?: Record<string, string>): Promise<{ api: Child; runner: Child; url: string }>;
}

/**
 * The set-up every fault test shares, registered as the describe block's beforeAll/afterAll: a fresh
 * {@link Stack} (on private Redis/FerretDB when asked), a store client, optionally a queue; at the end, every
 * child SIGKILLed, the test's pods removed, the queue obliterated, the database dropped (or the private
 * FerretDB destroyed), the private Redis destroyed.
 */
export function useFaultStack(o: FaultStackOptions = {}): FaultStack {
  let stack: Stack | undefined;
  let mongo: MongoClient | undefined;
  let queue: Queue | undefined;
  let redis: PrivateRedis | undefined;
  let ferret: PrivateFerret | undefined;
  const children: Child[] = [];
  const ids: string[] = [];
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} is not set up (read inside a test or hook)`);
    return v;
  };

  beforeAll(async () => {
    if (o.privateRedis) redis = await PrivateRedis.create();
    if (o.privateFerret) ferret = await PrivateFerret.create();
    stack = newStack({ redisUrl: redis?.url, mongoUri: ferret?.uri });
    mongo = storeClient(stack.mongoUri);
    if (o.queue) queue = new Queue(stack.queueName, { connection: { url: stack.redisUrl } });
  });

  afterAll(async () => {
    await o.beforeCleanup?.();
    for (const c of children) await c.stop('SIGKILL');
    await removePods(ids);
    // A runner killed here cannot release its work root; the reaper of a later runner would, 28 min on.
    if (stack) await fs.rm(workerRoot(STACKGRADE_HOME, stack.workerId), { recursive: true, force: true });
    if (queue) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    if (mongo && stack && !ferret) await mongo.db(stack.dbName).dropDatabase();
    await mongo?.close();
    await ferret?.destroy();
    await redis?.destroy();
  });

  return {
    get stack() {
      return need(stack, 'the stack');
    },
    get mongo() {
      return need(mongo, 'the store client');
    },
    get db() {
      return need(mongo, 'the store client').db(need(stack, 'the stack').dbName);
    },
    get queue() {
      return need(queue, 'the queue (queue: true)');
    },
    get redis() {
      return need(redis, 'the private Redis (privateRedis: true)');
    },
    get ferret() {
      return need(ferret, 'the private FerretDB (privateFerret: true)');
    },
    children,
    ids,
    async startApiAndRunner(runnerEnv = {}) {
      const { api, url } = await startApi(need(stack, 'the stack'));
      children.push(api);
      const runner = await startRunner(need(stack, 'the stack'), runnerEnv);
      children.push(runner);
      return { api, runner, url };
    },
  };
}
