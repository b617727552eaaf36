/**
 * A second Docker engine on this machine, standing in for a second runner host (docs/scaling.md, "Several
 * runner hosts"): its own dockerd with its own data root, exec root (so its own containerd), pid file, Unix
 * socket, cgroup parent and identity key (so its own engine ID), the main engine's runtimes (runc, runsc-seccomp, ...) registered in its own
 * daemon.json, and its own Linux bridge on a private /24.
 *
 * Networking. Pods have no network (the network owner runs with network `none`); only image builds (apt) and
 * the dependency install step use a bridge. The engine runs with `--iptables=false --ip-masq=false`, so it
 * never rewrites the main engine's rules; instead this harness adds three rules of its own, each tagged
 * with a comment naming the engine and matching only its bridge: a MASQUERADE for its subnet, and in
 * DOCKER-USER (the chain Docker leaves to users, evaluated first in FORWARD, whose policy the main engine sets
 * to DROP) an ACCEPT for traffic from the bridge and for replies to it. {@link SecondEngine.destroy} removes
 * them, the bridge, the engine's folders and cgroups; it never touches the main engine.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { BASE_IMAGE } from '../../runner/images/base-image';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runtimes every engine has built in (not copied into the second engine's daemon.json). */
const BUILTIN_RUNTIMES = new Set(['runc', 'io.containerd.runc.v2', 'io.containerd.runtime.v1.linux']);

/** What a second engine is made of; every name carries its tag so leftovers can be found. */
export interface SecondEngineLayout {
  tag: string;
  /** Folder holding data/, exec/, daemon.json, dockerd.pid, docker.sock, dockerd.log. */
  dir: string;
  bridge: string;
  /** The bridge's address with prefix, e.g. 10.231.17.1/24. */
  bridgeCidr: string;
  subnet: string;
  cgroupParent: string;
  comment: string;
}

/** A running (or killed) second dockerd; see the module comment. */
export class SecondEngine {
  private proc: ChildProcess | undefined;
  private rulesAdded: string[][] = [];
  private bridgeAdded = false;
  readonly docker: Docker;

  private constructor(readonly layout: SecondEngineLayout) {
    this.docker = new Docker({ socketPath: this.socket });
  }

  /** The engine's socket path. */
  get socket(): string {
    return path.join(this.layout.dir, 'docker.sock');
  }

  /** `DOCKER_HOST` of a runner (or docker CLI) driving this engine. */
  get host(): string {
    return `unix://${this.socket}`;
  }

  /** Pid of the running dockerd, or undefined. */
  get pid(): number | undefined {
    return this.proc && this.proc.exitCode === null && this.proc.signalCode === null
      ? this.proc.pid
      : undefined;
  }

  /**
   * Creates the engine's folders, bridge and rules, starts dockerd and waits until it answers. On failure
   * everything made so far is removed again before the error is rethrown.
   */
  static async start(main: Docker): Promise<SecondEngine> {
    const tag = randomBytes(3).toString('hex');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `sg-e2-${tag}-`));
    const octet = await freeThirdOctet();
    const engine = new SecondEngine({
      tag,
      dir,
      bridge: `sg-e2-${tag}`,
      bridgeCidr: `10.231.${octet}.1/24`,
      subnet: `10.231.${octet}.0/24`,
      cgroupParent: `/stackgrade-e2-${tag}`,
      comment: `stackgrade-second-engine-${tag}`,
    });
    try {
      const info = (await main.info()) as { Runtimes?: Record<string, unknown>; ServerVersion?: string };
      const runtimes = Object.fromEntries(
        Object.entries(info.Runtimes ?? {}).filter(([name]) => !BUILTIN_RUNTIMES.has(name)),
      );
      // Docker before 23 derives the engine's ID from /etc/docker/key.json, which a second dockerd on the
      // same machine would share; a second host has its own. (23 and later keep an ID in the data root.)
      const keyPath =
        Number((info.ServerVersion ?? '').split('.')[0]) < 23
          ? { 'deprecated-key-path': path.join(dir, 'key.json') }
          : {};
      await fs.mkdir(path.join(dir, 'data'));
      await fs.mkdir(path.join(dir, 'exec'));
      await fs.writeFile(
        path.join(dir, 'daemon.json'),
        `${JSON.stringify({ runtimes, ...keyPath }, null, 2)}\n`,
      );
      await engine.addNetwork();
      await engine.startDaemon();
    } catch (err) {
      await engine.destroy().catch(() => undefined);
      throw err;
    }
    return engine;
  }

  /** Starts dockerd on this engine's folders (again, after a kill) and waits until it answers. */
  async startDaemon(): Promise<void> {
    const d = this.layout.dir;
    const log = await fs.open(path.join(d, 'dockerd.log'), 'a');
    this.proc = spawn(
      'dockerd',
      [
        `--config-file=${path.join(d, 'daemon.json')}`,
        `--data-root=${path.join(d, 'data')}`,
        `--exec-root=${path.join(d, 'exec')}`,
        `--pidfile=${path.join(d, 'dockerd.pid')}`,
        `--host=${this.host}`,
        `--bridge=${this.layout.bridge}`,
        '--iptables=false',
        '--ip-masq=false',
        '--ip6tables=false',
        `--cgroup-parent=${this.layout.cgroupParent}`,
      ],
      { detached: true, stdio: ['ignore', log.fd, log.fd] },
    );
    await log.close();
    const until = Date.now() + 60_000;
    for (;;) {
      if (this.pid === undefined) throw new Error(`second dockerd exited: ${await this.logTail()}`);
      if (
        await this.docker.ping().then(
          () => true,
          () => false,
        )
      )
        return;
      if (Date.now() > until) throw new Error(`second dockerd does not answer: ${await this.logTail()}`);
      await sleep(250);
    }
  }

  /** SIGKILLs dockerd (a host losing its engine): its containerd-shims and containers are left running. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (this.pid === undefined || !proc) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM to dockerd (it stops every container), waits up to 60 s, then SIGKILL. */
  async stopDaemon(): Promise<void> {
    const proc = this.proc;
    if (this.pid === undefined || !proc) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(t);
  }

  /** Copies `ref` from the main engine (`docker save | docker load`, what a registry pull would do). */
  async loadFrom(main: Docker, ref: string = BASE_IMAGE): Promise<void> {
    const tar = await main.getImage(ref).get();
    const out = await this.docker.loadImage(tar);
    await new Promise<void>((resolve, reject) =>
      this.docker.modem.followProgress(out, (err) => (err ? reject(err) : resolve())),
    );
  }

  /**
   * Removes everything {@link start} made, whatever state it is in: a killed dockerd is started again so it
   * stops the containers its shims kept running, then stopped; leftover processes of its exec root are
   * killed; mounts under its folder are unmounted; then its folder, cgroups, rules and bridge go. Throws
   * only after trying every step, with the first error.
   */
  async destroy(): Promise<void> {
    const errors: unknown[] = [];
    const attempt = async (step: () => Promise<unknown>): Promise<void> => {
      await step().catch((err: unknown) => errors.push(err));
    };
    const d = this.layout.dir;
    if (this.pid === undefined && (await orphanPids(d)).length && this.bridgeAdded)
      await attempt(() => this.startDaemon());
    await attempt(() => this.stopDaemon());
    await attempt(async () => {
      for (const pid of await orphanPids(d)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* exited meanwhile */
        }
      }
    });
    await attempt(() => unmountUnder(d));
    await attempt(() => fs.rm(d, { recursive: true, force: true }));
    await attempt(() => removeCgroups(this.layout.cgroupParent));
    for (const rule of this.rulesAdded.reverse())
      await attempt(() =>
        run(
          'iptables',
          rule.map((a) => (a === '-A' || a === '-I' ? '-D' : a)),
        ),
      );
    this.rulesAdded = [];
    if (this.bridgeAdded) await attempt(() => run('ip', ['link', 'delete', this.layout.bridge]));
    this.bridgeAdded = false;
    if (errors.length) throw errors[0];
  }

  private async addNetwork(): Promise<void> {
    const { bridge, bridgeCidr, subnet, comment } = this.layout;
    await run('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
    this.bridgeAdded = true;
    await run('ip', ['addr', 'add', bridgeCidr, 'dev', bridge]);
    await run('ip', ['link', 'set', bridge, 'up']);
    const tagged = ['-m', 'comment', '--comment', comment];
    // DOCKER-USER exists when the main engine manages iptables; else FORWARD is the chain to open.
    const chain = (await run('iptables', ['-S', 'DOCKER-USER']).then(
      () => true,
      () => false,
    ))
      ? 'DOCKER-USER'
      : 'FORWARD';
    const rules = [
      ['-t', 'nat', '-A', 'POSTROUTING', '-s', subnet, '!', '-o', bridge, '-j', 'MASQUERADE', ...tagged],
      ['-I', chain, '-i', bridge, '-j', 'ACCEPT', ...tagged],
      [
        '-I',
        chain,
        '-o',
        bridge,
        '-m',
        'conntrack',
        '--ctstate',
        'RELATED,ESTABLISHED',
        '-j',
        'ACCEPT',
        ...tagged,
      ],
    ];
    for (const rule of rules) {
      await run('iptables', rule);
      this.rulesAdded.push(rule);
    }
  }

  private async logTail(): Promise<string> {
    const text = await fs.readFile(path.join(this.layout.dir, 'dockerd.log'), 'utf8').catch(() => '');
    return text.split('\n').slice(-15).join('\n');
  }
}

/** A third octet for 10.231.x.0/24 that no interface of this host uses. */
async function freeThirdOctet(): Promise<number> {
  const { stdout } = await run('ip', ['-4', '-o', 'addr']);
  for (let i = 0; i < 50; i++) {
    const octet = 1 + Math.floor(Math.random() * 254);
    if (!stdout.includes(`10.231.${octet}.`)) return octet;
  }
  throw new Error('no free 10.231.x.0/24 subnet');
}

/** Pids of processes whose command line names `dir` (the engine's containerd and shims). */
async function orphanPids(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmd = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(dir)) pids.push(Number(entry));
  }
  return pids;
}

/** Unmounts (lazily, deepest first) every mount point under `dir`. */
async function unmountUnder(dir: string): Promise<void> {
  const info = await fs.readFile('/proc/self/mountinfo', 'utf8');
  const points = info
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p === dir || p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of points) await run('umount', ['-l', p]).catch(() => undefined);
}

/**
 * Removes the engine's cgroup parent in every cgroup v1 hierarchy (or the v2 tree), children first. A process
 * still in it (a `runc init` left waiting when its dockerd was killed mid-create) is SIGKILLed first: only
 * processes of this engine's containers are in these cgroups.
 */
async function removeCgroups(parent: string): Promise<void> {
  const roots = ['/sys/fs/cgroup'];
  for (const e of await fs.readdir('/sys/fs/cgroup').catch(() => [] as string[]))
    roots.push(path.join('/sys/fs/cgroup', e));
  const trees: string[][] = [];
  for (const root of roots) {
    const top = path.join(root, parent);
    const dirs: string[] = [];
    const walk = async (p: string): Promise<void> => {
      dirs.push(p);
      for (const e of await fs.readdir(p, { withFileTypes: true }).catch(() => []))
        if (e.isDirectory()) await walk(path.join(p, e.name));
    };
    if (!(await fs.stat(top).catch(() => null))) continue;
    await walk(top);
    trees.push(dirs.sort((a, b) => b.length - a.length));
  }
  const pids = async (): Promise<number[]> => {
    const out = new Set<number>();
    for (const dir of trees.flat()) {
      const text = await fs.readFile(path.join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
      for (const p of text.split('\n').filter(Boolean)) out.add(Number(p));
    }
    return [...out];
  };
  for (let i = 0; i < 20; i++) {
    const left = await pids();
    if (!left.length) break;
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* exited meanwhile */
      }
    }
    await sleep(250);
  }
  for (const dirs of trees) for (const p of dirs) await fs.rmdir(p).catch(() => undefined);
}
