import type Docker from 'dockerode';
import type { Logger } from '../lib/logger';
import { removeSlot } from './candidate-slot';
import { forceRemove } from './docker';
import { LABELS } from './labels';
import type { PodHost, PodSetup } from './pod-definition';

/**
 * The container removals of finished pods that have not ended yet. A pod is removed off the grading's
 * critical path (Docker takes seconds to kill and remove a gVisor sandbox); whoever must leave no container
 * behind (shutdown, `challenge validate`, the CLI, benchmarks, tests) settles the registry it owns.
 */
export class RemovalRegistry {
  private readonly pending = new Set<Promise<unknown>>();

  /** Tracks `removal` until it settles. */
  track(removal: Promise<unknown>): void {
    const tracked: Promise<unknown> = removal.finally(() => this.pending.delete(tracked));
    tracked.catch(() => undefined);
    this.pending.add(tracked);
  }

  /** Removals not yet ended. */
  get size(): number {
    return this.pending.size;
  }

  /** Resolves when every removal tracked so far (and any tracked meanwhile) has ended. Never throws. */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}

/** Starts removing every container of the pod, then its candidate slot, tracked by `host.removals`. */
export function startPodRemoval(host: PodHost, def: PodSetup): void {
  host.removals.track(
    removeRun(host.docker, def.runId, host.log).then(() => removeSlot(def.slotDir, host.log)),
  );
}

/** Force-removes every container labelled with `runId` (and its anonymous volumes). Never throws. */
export async function removeRun(docker: Docker, runId: string, log: Logger): Promise<number> {
  let removed = 0;
  try {
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.runId}=${runId}`] } });
    await Promise.all(
      list.map(async (c) => {
        try {
          if (await forceRemove(docker, c.Id)) removed++;
        } catch (err) {
          log.warn({ runId, id: c.Id, err: String(err) }, 'remove failed');
        }
      }),
    );
  } catch (err) {
    log.warn({ runId, err: String(err) }, 'listing run containers failed');
  }
  return removed;
}
