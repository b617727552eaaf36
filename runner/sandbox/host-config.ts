import type Docker from 'dockerode';
import type { GvisorRuntime } from './docker';

const MiB = 1024 * 1024;

/**
 * Host tasks a gVisor sandbox needs for itself, added to the pids limit of a container run under gVisor.
 * The host's pids cgroup counts the sandbox's own threads (the Sentry's and the gofer's Go threads, the
 * systrap stubs) next to the guest's processes: an idle sandbox running `sleep` holds 60 of them (measured
 * on the 2-core CI machine, 2026-12-03), and the privilege-escalation attack (node plus a handful of
 * short-lived children) peaked at 136 (sampled every 20 ms with this allowance in place), past its
 * challenge's limit of 128: without it the sandbox was killed at random. Reaching the limit kills the
 * whole sandbox (runsc exits 2), so the manifest's `pids` stays the candidate's own budget and the
 * sandbox's share comes on top.
 */
export const GVISOR_SANDBOX_PIDS = 128;

/** Resource limits of one pod container; memory and tmpfs in MiB, CPUs fractional. */
export interface ContainerLimits {
  memoryMb: number;
  cpus: number;
  pids: number;
  /** Writable tmpfs mounts: path → size in MiB. */
  tmpfs: Record<string, number>;
  /** Largest file a process may write, MiB (RLIMIT_FSIZE). */
  fileSizeMb: number;
  /** Open file descriptors (RLIMIT_NOFILE). */
  nofile: number;
  /** /dev/shm size, MiB. */
  shmMb: number;
}

/** Options of {@link hardenedHostConfig}. */
export interface HostConfigOptions {
  /** `none` for the network owner, `container:<ownerId>` for every other member. */
  networkMode: string;
  limits: ContainerLimits;
  readOnlyRoot: boolean;
  /**
   * Size of the container's log file in MiB (default 1). The log is one file (`max-file` 1), so a follower
   * loses what is written past it: the grader, whose output is read in full, needs a log larger than
   * the runner's cap on grader output.
   */
  logMaxMb?: number;
  /**
   * OCI runtime registered with Docker: `runsc-seccomp` (gVisor enforcing the seccomp profile, see
   * docker.ts) or undefined for the engine default (runc).
   */
  runtime?: GvisorRuntime;
  /** Seccomp profile as JSON text (`SecurityOpt seccomp=`); undefined keeps Docker's default profile. */
  seccompProfile?: string;
  /** Read-only bind mounts: host path → container path. */
  readOnlyBinds?: Record<string, string>;
  /** Read-write bind mounts (only the dependency-install step uses one, on a runner-created folder). */
  writableBinds?: Record<string, string>;
  /** Owner uid/gid of the tmpfs mounts (defaults to root; world-writable with the sticky bit). */
  tmpfsOwner?: { uid: number; gid: number };
}

/**
 * The hardened HostConfig every pod container gets (Kubernetes "restricted" in Docker terms;
 * docs/sandbox.md, "Hardening"): no privileges, ALL capabilities dropped, no-new-privileges, seccomp (Docker's
 * default or the given profile), memory == memory+swap, CPU and pids limits (plus
 * {@link GVISOR_SANDBOX_PIDS} under gVisor), nofile/fsize/core ulimits, tini as init, private IPC and
 * cgroup namespaces, bounded `local` logs, no published ports, an OOM score that makes it die first.
 */
export function hardenedHostConfig(o: HostConfigOptions): Docker.HostConfig {
  const l = o.limits;
  const owner = o.tmpfsOwner ? `,uid=${o.tmpfsOwner.uid},gid=${o.tmpfsOwner.gid},mode=0700` : ',mode=1777';
  const tmpfs: Record<string, string> = {};
  for (const [p, mb] of Object.entries(l.tmpfs))
    tmpfs[p] = `rw,noexec,nosuid,nodev,size=${mb}m,nr_inodes=16384${owner}`;
  const mounts: Docker.MountSettings[] = [
    ...Object.entries(o.readOnlyBinds ?? {}).map(([src, dst]) => ({
      Type: 'bind' as const,
      Source: src,
      Target: dst,
      ReadOnly: true,
    })),
    ...Object.entries(o.writableBinds ?? {}).map(([src, dst]) => ({
      Type: 'bind' as const,
      Source: src,
      Target: dst,
      ReadOnly: false,
    })),
  ];
  // CgroupnsMode (Engine API ≥ 1.41) is missing from @types/dockerode's HostConfig.
  const hc: Docker.HostConfig & { CgroupnsMode: 'private' | 'host' } = {
    NetworkMode: o.networkMode,
    Privileged: false,
    CapDrop: ['ALL'],
    CapAdd: [],
    SecurityOpt: [
      'no-new-privileges:true',
      ...(o.seccompProfile === undefined ? [] : [`seccomp=${o.seccompProfile}`]),
    ],
    ReadonlyRootfs: o.readOnlyRoot,
    Tmpfs: tmpfs,
    Memory: l.memoryMb * MiB,
    MemorySwap: l.memoryMb * MiB,
    NanoCpus: Math.round(l.cpus * 1e9),
    PidsLimit: l.pids + (o.runtime ? GVISOR_SANDBOX_PIDS : 0),
    Ulimits: [
      { Name: 'nofile', Soft: l.nofile, Hard: l.nofile },
      { Name: 'fsize', Soft: l.fileSizeMb * MiB, Hard: l.fileSizeMb * MiB },
      { Name: 'core', Soft: 0, Hard: 0 },
    ],
    Init: true,
    IpcMode: 'private',
    CgroupnsMode: 'private',
    ShmSize: l.shmMb * MiB,
    OomScoreAdj: 500,
    PortBindings: {},
    PublishAllPorts: false,
    Binds: [],
    Mounts: mounts,
    LogConfig: {
      Type: 'local',
      Config: { 'max-size': `${o.logMaxMb ?? 1}m`, 'max-file': '1', compress: 'false' },
    },
    AutoRemove: false,
  };
  if (o.runtime) hc.Runtime = o.runtime;
  return hc;
}
