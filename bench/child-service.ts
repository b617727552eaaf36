import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';

/** A Stackgrade process (API or runner) started by the benchmark. */
export interface ChildService {
  pid: number;
  /**
   * Peak resident memory so far, MiB: `VmHWM` of /proc/<pid>/status (proc(5)) summed over the process and its
   * descendants running the same script (an API's cluster workers; tsx's esbuild service is not counted).
   * The sum of per-process peaks: an upper bound of the peak of the sum. Null once it exited.
   */
  peakRssMb(): number | null;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Reads `VmHWM` (peak resident set size) of a process, MiB, or null when it is gone. */
export function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Direct children of `pid` (/proc/<pid>/task/<tid>/children, proc(5)); [] when it is gone. */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** `pid` and its descendants whose command line contains `script`. */
export function processTree(pid: number, script: string): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    for (const c of childrenOf(out[i]!)) {
      let cmdline = '';
      try {
        cmdline = fs.readFileSync(`/proc/${c}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmdline.includes(script)) out.push(c);
    }
  }
  return out;
}

/**
 * Starts `node --import tsx <script>` in `cwd` with `env` (one process, so its /proc entry is the service's
 * own), logging stdout/stderr to `logFile`, and resolves once a line of its output contains `readyText` (or matches it, a RegExp).
 * Throws when it exits first or after `timeoutMs`.
 */
export async function startChildService(o: {
  script: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  readyText: string | RegExp;
  timeoutMs: number;
}): Promise<ChildService> {
  const log = fs.createWriteStream(o.logFile);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', o.script], {
    cwd: o.cwd,
    env: o.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    let ready = false;
    const timer = setTimeout(
      () => reject(new Error(`${o.script} not ready within ${o.timeoutMs} ms (log: ${o.logFile})`)),
      o.timeoutMs,
    );
    const onData = (d: Buffer): void => {
      log.write(d);
      if (ready) return;
      buf += d.toString('utf8');
      if (typeof o.readyText === 'string' ? buf.includes(o.readyText) : o.readyText.test(buf)) {
        ready = true;
        clearTimeout(timer);
        buf = '';
        resolve();
      } else if (buf.length > 1 << 20) buf = buf.slice(-4096);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${o.script} exited before it was ready (log: ${o.logFile})`));
    });
  });
  const pid = child.pid!;
  return {
    pid,
    peakRssMb: () => {
      const own = peakRssMb(pid);
      if (own === null) return null;
      return processTree(pid, o.script)
        .slice(1)
        .reduce((sum, p) => sum + (peakRssMb(p) ?? 0), own);
    },
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
      log.end();
    },
  };
}
