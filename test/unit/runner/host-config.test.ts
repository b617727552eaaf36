import { GVISOR_SANDBOX_PIDS, hardenedHostConfig } from '../../../runner/sandbox/host-config';
import { resolveLimits } from '../../../runner/grading/resolve-limits';

const MiB = 1024 * 1024;

describe('hardenedHostConfig', () => {
  const hc = hardenedHostConfig({
    networkMode: 'container:abc',
    limits: {
      memoryMb: 512,
      cpus: 1,
      pids: 128,
      tmpfs: { '/tmp': 64 },
      fileSizeMb: 64,
      nofile: 1024,
      shmMb: 16,
    },
    readOnlyRoot: true,
    runtime: 'runsc-seccomp',
    readOnlyBinds: { '/host/code': '/app' },
  });

  it('drops every capability and privilege (docs/sandbox.md, "Hardening")', () => {
    expect(hc.Privileged).toBe(false);
    expect(hc.CapDrop).toEqual(['ALL']);
    expect(hc.CapAdd).toEqual([]);
    expect(hc.SecurityOpt).toEqual(['no-new-privileges:true']);
  });

  it('passes a seccomp profile as JSON text after no-new-privileges', () => {
    const profile = JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [] });
    const withProfile = hardenedHostConfig({
      networkMode: 'none',
      limits: { memoryMb: 64, cpus: 1, pids: 8, tmpfs: {}, fileSizeMb: 1, nofile: 64, shmMb: 1 },
      readOnlyRoot: true,
      seccompProfile: profile,
    });
    expect(withProfile.SecurityOpt).toEqual(['no-new-privileges:true', `seccomp=${profile}`]);
    expect(withProfile.Runtime).toBeUndefined();
    // Without gVisor the pids limit is the container's own.
    expect(withProfile.PidsLimit).toBe(8);
  });

  it('limits memory without swap, CPU, pids (plus the gVisor sandbox’s own tasks) and files', () => {
    expect(hc.Memory).toBe(512 * MiB);
    expect(hc.MemorySwap).toBe(512 * MiB);
    expect(hc.NanoCpus).toBe(1e9);
    expect(hc.PidsLimit).toBe(128 + GVISOR_SANDBOX_PIDS);
    expect(hc.Ulimits).toEqual(
      expect.arrayContaining([
        { Name: 'nofile', Soft: 1024, Hard: 1024 },
        { Name: 'fsize', Soft: 64 * MiB, Hard: 64 * MiB },
        { Name: 'core', Soft: 0, Hard: 0 },
      ]),
    );
  });

  it('keeps the root read-only with a bounded tmpfs, mounts code read-only and publishes nothing', () => {
    expect(hc.ReadonlyRootfs).toBe(true);
    expect(hc.Tmpfs?.['/tmp']).toMatch(/size=64m/);
    expect(hc.Tmpfs?.['/tmp']).toMatch(/noexec/);
    expect(hc.Mounts).toEqual([{ Type: 'bind', Source: '/host/code', Target: '/app', ReadOnly: true }]);
    expect(hc.PortBindings).toEqual({});
    expect(hc.PublishAllPorts).toBe(false);
    expect(hc.NetworkMode).toBe('container:abc');
    expect(hc.Runtime).toBe('runsc-seccomp');
    expect(hc.LogConfig?.Config?.['max-size']).toBe('1m');
  });
});

describe('resolveLimits', () => {
  const manifest = {
    wall_ms: 300_000,
    memory_mb: 4096,
    cpus: 4,
    pids: 2048,
    tmpfs_mb: 64,
    startup_ms: 60_000,
  };
  it('caps what the manifest asks for by the operator maximums', () => {
    const l = resolveLimits(manifest, {
      SANDBOX_MAX_WALL_MS: 100_000,
      SANDBOX_MAX_MEMORY_MB: 1024,
      SANDBOX_MAX_CPUS: 2,
      SANDBOX_MAX_PIDS: 256,
    });
    expect(l.wallMs).toBe(100_000);
    expect(l.candidate.memoryMb).toBe(1024);
    expect(l.candidate.cpus).toBe(2);
    expect(l.candidate.pids).toBe(256);
  });
  it('keeps smaller manifest values', () => {
    const l = resolveLimits(
      { ...manifest, memory_mb: 256 },
      {
        SANDBOX_MAX_WALL_MS: 600_000,
        SANDBOX_MAX_MEMORY_MB: 1024,
        SANDBOX_MAX_CPUS: 2,
        SANDBOX_MAX_PIDS: 256,
      },
    );
    expect(l.candidate.memoryMb).toBe(256);
    expect(l.wallMs).toBe(300_000);
  });
});
