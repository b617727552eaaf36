import fs from 'node:fs/promises';
import type Docker from 'dockerode';
import { LABELS } from '../runner/sandbox/labels';

/** Root of Docker's cgroup v1 memory controller (cgroupfs driver: one folder per container id). */
const CGROUP_MEMORY = '/sys/fs/cgroup/memory/docker';

/**
 * Peak memory use of a container so far, bytes: cgroup v1 `memory.max_usage_in_bytes` (kernel
 * Documentation/admin-guide/cgroup-v1/memory.rst §5.2; page cache included), or null when the file is not
 * there (cgroup v2, another driver, or the container is gone).
 */
export async function containerPeakBytes(id: string): Promise<number | null> {
  try {
    const v = Number((await fs.readFile(`${CGROUP_MEMORY}/${id}/memory.max_usage_in_bytes`, 'utf8')).trim());
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Samples the cgroup peak memory of every container labelled with one of `workers` (a runner's WORKER_ID)
 * while pods run, and keeps, per pod (run id), the sum of its containers' peaks. Sampling every
 * `intervalMs` misses at most the last interval of a container's life; the sum of per-container peaks is
 * an upper bound of the pod's simultaneous peak.
 */
export class PodMemorySampler {
  /** run id → container id → peak bytes. */
  private readonly peaks = new Map<string, Map<string, number>>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly docker: Docker,
    private readonly workers: () => readonly string[],
  ) {}

  start(intervalMs = 500): void {
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const ws = new Set(this.workers());
      const list = await this.docker.listContainers({ filters: { label: [`${LABELS.version}=1`] } });
      await Promise.all(
        list
          .filter((c) => ws.has(c.Labels[LABELS.worker] ?? '') && c.Labels[LABELS.role] !== 'install')
          .map(async (c) => {
            const b = await containerPeakBytes(c.Id);
            if (b === null) return;
            const run = c.Labels[LABELS.runId] ?? c.Id;
            const m = this.peaks.get(run) ?? new Map<string, number>();
            m.set(c.Id, Math.max(m.get(c.Id) ?? 0, b));
            this.peaks.set(run, m);
          }),
      );
    } catch {
      // Listing failed (engine busy): the next sample catches up.
    } finally {
      this.busy = false;
    }
  }

  /** Peak memory of each pod seen, MiB (sum of its containers' peaks). */
  podPeaksMb(): number[] {
    return [...this.peaks.values()].map((m) => [...m.values()].reduce((s, b) => s + b, 0) / 1024 / 1024);
  }
}
