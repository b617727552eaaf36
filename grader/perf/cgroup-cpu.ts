import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * CPU time a cgroup has used, microseconds: cgroup v2 `cpu.stat` `usage_usec` (kernel docs, cgroup-v2
 * "CPU Interface Files"), else cgroup v1 `cpuacct.usage` (nanoseconds, converted). `dir` defaults to the
 * calling process's own cgroup (from /proc/self/cgroup). Returns null where neither file is readable (for
 * example another container's cgroup from inside a pod, or gVisor).
 */
export async function cgroupCpuUsec(dir?: string): Promise<number | null> {
  const candidates: [string, 'v2' | 'v1'][] = [];
  if (dir) candidates.push([path.join(dir, 'cpu.stat'), 'v2'], [path.join(dir, 'cpuacct.usage'), 'v1']);
  else {
    const own = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
    for (const line of own.split('\n')) {
      const [, controllers, p] = line.split(':');
      if (controllers === '' && p) candidates.push([path.join('/sys/fs/cgroup', p, 'cpu.stat'), 'v2']);
      if (controllers?.split(',').includes('cpuacct') && p)
        candidates.push(
          [path.join('/sys/fs/cgroup/cpuacct', p, 'cpuacct.usage'), 'v1'],
          [path.join('/sys/fs/cgroup/cpu,cpuacct', p, 'cpuacct.usage'), 'v1'],
        );
    }
    candidates.push(['/sys/fs/cgroup/cpu.stat', 'v2'], ['/sys/fs/cgroup/cpuacct/cpuacct.usage', 'v1']);
  }
  for (const [file, kind] of candidates) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    if (kind === 'v2') {
      const m = /^usage_usec (\d+)$/m.exec(text);
      if (m) return Number(m[1]);
    } else if (/^\d+\s*$/.test(text)) return Math.round(Number(text) / 1000);
  }
  return null;
}

/**
 * CPU microseconds per request of a load window: runs `fn` (which returns how many requests it sent) between
 * two readings of `read` (e.g. `() => cgroupCpuUsec(dir)` for the service's cgroup, summed with the
 * database's: docs/grading.md P-03). Returns null when the cgroup cannot be read or no request was sent.
 */
export async function cpuPerRequest(
  read: () => Promise<number | null>,
  fn: () => Promise<number>,
): Promise<{ usecPerRequest: number | null; requests: number; cpuUsec: number | null }> {
  const a = await read();
  const requests = await fn();
  const b = await read();
  const cpuUsec = a !== null && b !== null ? b - a : null;
  return { usecPerRequest: cpuUsec !== null && requests > 0 ? cpuUsec / requests : null, requests, cpuUsec };
}
