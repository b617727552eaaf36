import type Docker from 'dockerode';
import { LABELS } from '../runner/sandbox/labels';

/**
 * Watches for Stackgrade pods of other processes on the same Docker engine (containers labelled
 * `io.stackgrade.v=1` whose worker label is not one of ours) while the benchmark runs: their load skews the
 * figures, so the report says the machine was shared.
 */
export class SharedMachineWatch {
  private readonly foreignRuns = new Set<string>();
  private samples = 0;
  private sharedSamples = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly ourWorkers: (worker: string) => boolean,
  ) {}

  /** Takes one sample now and then every `intervalMs` milliseconds. */
  start(intervalMs = 2000): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    try {
      const list = await this.docker.listContainers({ filters: { label: [`${LABELS.version}=1`] } });
      const foreign = list.filter((c) => !this.ourWorkers(c.Labels[LABELS.worker] ?? ''));
      for (const c of foreign) this.foreignRuns.add(c.Labels[LABELS.runId] ?? c.Id);
      this.samples++;
      if (foreign.length) this.sharedSamples++;
    } catch {
      // A failed sample says nothing either way.
    }
  }

  /** Foreign pod runs seen, and the share of samples (0–1) during which any was running. */
  result(): { foreignRuns: number; sharedFraction: number; samples: number } {
    return {
      foreignRuns: this.foreignRuns.size,
      sharedFraction: this.samples ? Math.round((this.sharedSamples / this.samples) * 100) / 100 : 0,
      samples: this.samples,
    };
  }
}
