/**
 * Hardening of a candidate container as the engine applies it: what `docker inspect` reports, and what a
 * process inside sees (/proc/self/status, mounts, network, identity). Uses the same HostConfig builder as
 * every pod, under runc (the fallback runtime, where the kernel's own view of the process is visible; gVisor
 * reports neither NoNewPrivs nor /sys/class/net). The runtime a grading run used is asserted by the
 * challenge validation test.
 */
import Docker from 'dockerode';
import { hardenedHostConfig } from '../../../runner/sandbox/host-config';
import { logTail } from '../../../runner/sandbox/container-logs';
import { CANDIDATE_SECCOMP_PROFILE } from '../../../runner/sandbox/seccomp/candidate-profile';

const docker = new Docker();
const MiB = 1024 * 1024;

describe('a hardened candidate container', () => {
  let container: Docker.Container;
  let output = '';

  beforeAll(async () => {
    const script = [
      'id -u',
      "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status",
      '(unshare -Ur id -u 2>&1 || true) | head -1',
      "node -e \"new (require('node:worker_threads').Worker)('0', { eval: true }).on('exit', () => console.log('worker-thread-ok'))\"",
      'ls /sys/class/net 2>/dev/null | tr "\\n" " "; echo',
      '(touch /app/x 2>&1 || true) | head -1',
      '(touch /usr/x 2>&1 || true) | head -1',
      'touch /tmp/ok && echo tmp-writable',
      'test -S /var/run/docker.sock && echo docker-socket || echo no-docker-socket',
    ].join('; ');
    container = await docker.createContainer({
      Image: 'stackgrade/node22:latest',
      Cmd: ['sh', '-c', script],
      User: '10001:10001',
      WorkingDir: '/app',
      Labels: {
        'io.stackgrade.v': '1',
        'io.stackgrade.role': 'app',
        'io.stackgrade.deadline': String(Date.now() + 120_000),
      },
      HostConfig: hardenedHostConfig({
        networkMode: 'none',
        limits: {
          memoryMb: 256,
          cpus: 0.5,
          pids: 64,
          tmpfs: { '/tmp': 16 },
          fileSizeMb: 16,
          nofile: 512,
          shmMb: 16,
        },
        readOnlyRoot: true,
        readOnlyBinds: { '/usr/share/doc': '/app' },
        seccompProfile: CANDIDATE_SECCOMP_PROFILE,
      }),
    });
    await container.start();
    await container.wait();
    output = await logTail(container, 64 * 1024);
  });

  afterAll(async () => {
    await container?.remove({ force: true });
  });

  it('docker inspect shows the limits and protections', async () => {
    const hc = (await container.inspect()).HostConfig as Docker.HostConfig & { CgroupnsMode?: string };
    expect(hc.Privileged).toBe(false);
    expect(hc.CapDrop).toEqual(['ALL']);
    expect(hc.SecurityOpt).toContain('no-new-privileges:true');
    expect(hc.SecurityOpt).toContain(`seccomp=${CANDIDATE_SECCOMP_PROFILE}`);
    expect(hc.ReadonlyRootfs).toBe(true);
    expect(hc.Memory).toBe(256 * MiB);
    expect(hc.MemorySwap).toBe(256 * MiB);
    expect(hc.NanoCpus).toBe(5e8);
    expect(hc.PidsLimit).toBe(64);
    expect(hc.NetworkMode).toBe('none');
    expect(hc.Init).toBe(true);
    expect(hc.PortBindings ?? {}).toEqual({});
    expect(hc.LogConfig?.Type).toBe('local');
  });

  it('inside, the process is uid 10001 with no capabilities, no-new-privileges, only loopback, read-only code and root, a writable /tmp and no Docker socket', () => {
    expect(output).toMatch(/^10001$/m);
    expect(output).toMatch(/CapEff:\s+0000000000000000/);
    expect(output).toMatch(/NoNewPrivs:\s+1/);
    // The candidate seccomp profile is in force (mode 2 = filter): no user namespace, threads still start.
    expect(output).toMatch(/Seccomp:\s+2/);
    expect(output).toMatch(/unshare failed: Operation not permitted/);
    expect(output).toMatch(/worker-thread-ok/);
    expect(output).toMatch(/^lo\s*$/m);
    expect(output).toMatch(/touch: cannot touch '\/app\/x': Read-only file system/);
    expect(output).toMatch(/touch: cannot touch '\/usr\/x': (Read-only file system|Permission denied)/);
    expect(output).toMatch(/tmp-writable/);
    expect(output).toMatch(/no-docker-socket/);
  });
});
