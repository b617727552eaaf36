/** Docker labels on every pod container (reverse-DNS constants; docs/sandbox.md, "Pod layout"). */
export const LABELS = {
  /** Schema version of Stackgrade's labels; the reaper sweeps only containers carrying it. */
  version: 'io.stackgrade.v',
  runId: 'io.stackgrade.run-id',
  submission: 'io.stackgrade.submission',
  role: 'io.stackgrade.role',
  worker: 'io.stackgrade.worker',
  /** Epoch milliseconds after which the reaper may remove the container. */
  deadline: 'io.stackgrade.deadline',
  /** Set on the containers of a warm pod (runner/grading/warm-pod-pool.ts): the pool key (`<challenge>@<version>`). */
  pool: 'io.stackgrade.pool',
} as const;

/** Roles of the containers of a pod (docs/sandbox.md, "Pod layout"). */
export type PodRole = 'net-owner' | 'db' | 'app' | 'ref-app' | 'grader' | 'install';

/** Labels of one container of run `runId`. */
export function podLabels(o: {
  runId: string;
  submissionId: string;
  role: PodRole;
  worker: string;
  deadline: number;
  /** Pool key of a warm pod; absent on a cold pod. */
  pool?: string;
}): Record<string, string> {
  return {
    ...(o.pool !== undefined ? { [LABELS.pool]: o.pool } : {}),
    [LABELS.version]: '1',
    [LABELS.runId]: o.runId,
    [LABELS.submission]: o.submissionId,
    [LABELS.role]: o.role,
    [LABELS.worker]: o.worker,
    [LABELS.deadline]: String(o.deadline),
  };
}
