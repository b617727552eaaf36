import type Docker from 'dockerode';
import type { Logger } from '../lib/logger';
import { forceRemove } from './docker';
import { LABELS } from './labels';

/**
 * Removes leftover pod containers (docs/architecture.md, "Failure handling and retries"): every
 * `io.stackgrade.v=1` container past its `io.stackgrade.deadline`, and, when `worker` is given (at start-up),
 * every container of that worker, whose runs died with its previous process. Returns how many were removed;
 * never throws.
 */
export async function reapContainers(
  docker: Docker,
  log: Logger,
  opts: { worker?: string; now?: number } = {},
): Promise<number> {
  const now = opts.now ?? Date.now();
  let removed = 0;
  try {
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.version}=1`] } });
    for (const c of list) {
      const deadline = Number(c.Labels[LABELS.deadline] ?? 0);
      const mine = opts.worker !== undefined && c.Labels[LABELS.worker] === opts.worker;
      if (!mine && deadline > now) continue;
      try {
        if (await forceRemove(docker, c.Id)) removed++;
      } catch (err) {
        log.warn({ id: c.Id, err: String(err) }, 'reaper could not remove a container');
      }
    }
  } catch (err) {
    log.warn({ err: String(err) }, 'reaper could not list containers');
  }
  if (removed) log.info({ removed }, 'reaped leftover pod containers');
  return removed;
}

/**
 * Removes every container of submission `submissionId` (all its earlier attempts, and the rest of each pod
 * they ran in: a warm pod's containers are found by its candidate container's name, then by run id), before a new attempt
 * builds its pod (docs/architecture.md, "Failure handling and retries"):
 * a previous attempt on a runner that died may still hold a pod. Returns how many were removed; never throws.
 */
export async function reapSubmission(docker: Docker, submissionId: string, log: Logger): Promise<number> {
  let removed = 0;
  try {
    // A warm pod's candidate container was created before its submission was known: it carries the pool's
    // placeholder label and, once taken, the name `sg-<run id>-app-<submission id>` (container-specs.ts).
    const [labelled, named] = await Promise.all([
      docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.version}=1`, `${LABELS.submission}=${submissionId}`] },
      }),
      docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.version}=1`], name: [`-app-${submissionId}$`] },
      }),
    ]);
    const mine = [...labelled, ...named];
    // In a warm pod only the candidate's container carries the submission: the rest goes by its run id.
    const runIds = [...new Set(mine.map((c) => c.Labels[LABELS.runId]).filter((r): r is string => !!r))];
    const others = (
      await Promise.all(
        runIds.map((r) => docker.listContainers({ all: true, filters: { label: [`${LABELS.runId}=${r}`] } })),
      )
    ).flat();
    const list = [...new Map([...mine, ...others].map((c) => [c.Id, c])).values()];
    for (const c of list) {
      try {
        if (await forceRemove(docker, c.Id)) removed++;
      } catch (err) {
        log.warn({ id: c.Id, err: String(err) }, 'could not remove a container of an earlier attempt');
      }
    }
  } catch (err) {
    log.warn({ err: String(err), submissionId }, 'could not list the containers of an earlier attempt');
  }
  if (removed) log.info({ removed, submissionId }, 'removed the pod of an earlier attempt');
  return removed;
}
