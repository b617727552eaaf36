import type { ChallengeLimits } from '../contract/challenge-manifest.schema';
import type { ContainerLimits } from '../sandbox/host-config';
import type { RunnerConfig } from '../config';

/** Effective limits of a run: what the manifest asks for, capped by the operator's maximums (Judge0's X / MAX_X). */
export interface EffectiveLimits {
  wallMs: number;
  startupMs: number;
  candidate: ContainerLimits;
}

/** Resolves a challenge's limits against the runner config (pure). */
export function resolveLimits(
  l: ChallengeLimits,
  c: Pick<
    RunnerConfig,
    'SANDBOX_MAX_WALL_MS' | 'SANDBOX_MAX_MEMORY_MB' | 'SANDBOX_MAX_CPUS' | 'SANDBOX_MAX_PIDS'
  >,
): EffectiveLimits {
  return {
    wallMs: Math.min(l.wall_ms, c.SANDBOX_MAX_WALL_MS),
    startupMs: Math.min(l.startup_ms, l.wall_ms),
    candidate: {
      memoryMb: Math.min(l.memory_mb, c.SANDBOX_MAX_MEMORY_MB),
      cpus: Math.min(l.cpus, c.SANDBOX_MAX_CPUS),
      pids: Math.min(l.pids, c.SANDBOX_MAX_PIDS),
      tmpfs: { '/tmp': l.tmpfs_mb },
      fileSizeMb: l.tmpfs_mb,
      nofile: 1024,
      shmMb: 16,
    },
  };
}
