import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { waitForLine } from '../runner/sandbox/container-logs';
import { hardenedHostConfig } from '../runner/sandbox/host-config';
import { podLabels } from '../runner/sandbox/labels';
import { DB_LIMITS, OWNER_LIMITS } from '../runner/sandbox/container-specs';
import { removeRun } from '../runner/sandbox/removal-registry';
import type { Logger } from '../runner/lib/logger';
import { containerPeakBytes } from './pod-memory';

/** One floor pod: wall time to ready, ms, and the peak memory of its two containers, MiB. */
export interface FloorPodSample {
  readyMs: number;
  peakMb: number | null;
}

const READY = 'FLOOR_PG_READY';

/**
 * The least a pod with PostgreSQL can cost: a network owner (network `none`) plus one PostgreSQL 15 server
 * joined to its namespace, with the pod's own hardened settings, until `pg_isready` answers (polled inside
 * the container every 20 ms, announced on stdout as the pod does). `stackgrade/postgres15` carries no
 * cluster, so the server runs the cluster of `dbImage` (the challenge's seeded image, built FROM
 * stackgrade/postgres15) without any per-pod set-up (no passwords, no canary). Containers are labelled with
 * `worker` and removed. Throws when PostgreSQL does not answer within 60 s.
 */
export async function measureFloorPodPg(
  docker: Docker,
  o: { ownerImage: string; dbImage: string; worker: string },
  log: Logger,
): Promise<FloorPodSample> {
  const runId = `bench-floor-${randomBytes(3).toString('hex')}`;
  const labels = (role: 'net-owner' | 'db') =>
    podLabels({ runId, submissionId: runId, role, worker: o.worker, deadline: Date.now() + 300_000 });
  const t0 = performance.now();
  try {
    const owner = await docker.createContainer({
      name: `sg-${runId}-owner`,
      Image: o.ownerImage,
      Cmd: ['sleep', 'infinity'],
      User: '65534:65534',
      StopSignal: 'SIGKILL',
      Labels: labels('net-owner'),
      HostConfig: hardenedHostConfig({ networkMode: 'none', limits: OWNER_LIMITS, readOnlyRoot: true }),
    });
    await owner.start();
    const db = await docker.createContainer({
      name: `sg-${runId}-db`,
      Image: o.dbImage,
      Cmd: [
        'sh',
        '-c',
        'postgres -D "$PGDATA" -c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=/var/run/postgresql & ' +
          `until pg_isready -q -h 127.0.0.1 -p 5432; do sleep 0.02; done; echo ${READY}; wait`,
      ],
      StopSignal: 'SIGKILL',
      Labels: labels('db'),
      HostConfig: hardenedHostConfig({
        networkMode: `container:${owner.id}`,
        limits: { ...DB_LIMITS, tmpfs: {} },
        readOnlyRoot: false,
      }),
    });
    await db.start();
    await waitForLine(docker, db, READY, 60_000);
    const readyMs = performance.now() - t0;
    const peaks = await Promise.all([containerPeakBytes(owner.id), containerPeakBytes(db.id)]);
    const peakMb = peaks.every((p) => p !== null)
      ? peaks.reduce((s: number, p) => s + p!, 0) / 1024 / 1024
      : null;
    return { readyMs, peakMb };
  } finally {
    await removeRun(docker, runId, log);
  }
}
