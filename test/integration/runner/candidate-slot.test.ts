/**
 * The candidate slot (runner/sandbox/candidate-slot.ts) on real Docker and gVisor: a container started on an
 * empty slot waits in its launcher, sees the files written into the slot after it started, and once released
 * runs the start command in the launcher's place (same PID) with the dependencies hard-linked from their cache; reapSlots removes only
 * old slots that no container uses.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import {
  createSlot,
  fillSlot,
  LAUNCHER_READY_LINE,
  LAUNCHER_RELEASE_SIGNAL,
  LAUNCHER_SCRIPT,
  reapSlots,
  SLOT_MOUNTS,
  withoutLauncherLine,
} from '../../../runner/sandbox/candidate-slot';
import { logTail, waitForLine } from '../../../runner/sandbox/container-logs';
import { GVISOR_RUNTIME } from '../../../runner/sandbox/docker';
import { hardenedHostConfig } from '../../../runner/sandbox/host-config';
import { LABELS } from '../../../runner/sandbox/labels';
import { CANDIDATE_SECCOMP_PROFILE } from '../../../runner/sandbox/seccomp/candidate-profile';
import { logger } from '../../../runner/lib/logger';

const docker = new Docker();
const log = logger.child({}, { level: 'warn' });

describe('candidate slot', () => {
  let root: string;
  const created: Docker.Container[] = [];

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'sg-slots-'));
  });

  afterAll(async () => {
    for (const c of created) await c.remove({ force: true }).catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true });
  });

  it('a container started on an empty slot runs, once released, the start command written after it started, in place of the launcher, with its files and hard-linked dependencies', async () => {
    const runId = `slot-${randomUUID().slice(0, 8)}`;
    const slotDir = path.join(root, runId);
    const f = await createSlot(slotDir);
    const c = await docker.createContainer({
      Image: 'stackgrade/node22:latest',
      Cmd: ['sh', '-c', LAUNCHER_SCRIPT],
      User: '10001:10001',
      WorkingDir: SLOT_MOUNTS.app,
      Labels: {
        [LABELS.version]: '1',
        [LABELS.runId]: runId,
        [LABELS.deadline]: String(Date.now() + 120_000),
      },
      HostConfig: hardenedHostConfig({
        networkMode: 'none',
        limits: {
          memoryMb: 256,
          cpus: 1,
          pids: 256,
          tmpfs: { '/tmp': 16 },
          fileSizeMb: 16,
          nofile: 512,
          shmMb: 16,
        },
        readOnlyRoot: true,
        runtime: GVISOR_RUNTIME,
        seccompProfile: CANDIDATE_SECCOMP_PROFILE,
        readOnlyBinds: {
          [f.app]: SLOT_MOUNTS.app,
          [f.dependencies]: '/node_modules',
          [f.control]: SLOT_MOUNTS.control,
        },
      }),
    });
    created.push(c);
    await c.start();
    await waitForLine(docker, c, LAUNCHER_READY_LINE, 60_000);

    // The solution and an install-cache folder, written only now (the container already runs).
    const code = path.join(root, `${runId}-code`);
    const cache = path.join(root, `${runId}-cache`);
    await fs.mkdir(path.join(code, 'src'), { recursive: true });
    await fs.writeFile(
      path.join(code, 'src', 'main.js'),
      "console.log('main', require('dep').value, process.pid)\n",
    );
    await fs.mkdir(path.join(cache, 'dep'), { recursive: true });
    await fs.writeFile(path.join(cache, 'dep', 'index.js'), 'module.exports = { value: 42 };\n');
    await fs.mkdir(path.join(cache, '.bin'));
    await fs.symlink('../dep/index.js', path.join(cache, '.bin', 'dep'));
    await fillSlot(slotDir, {
      codeDir: code,
      dependenciesDir: cache,
      startCommand: 'node src/main.js; echo "exit-ok $$"',
    });

    // Hard links into the cache, not copies; the link in .bin stays a link.
    const [inSlot, inCache] = await Promise.all([
      fs.stat(path.join(f.dependencies, 'dep', 'index.js')),
      fs.stat(path.join(cache, 'dep', 'index.js')),
    ]);
    expect(inSlot.ino).toBe(inCache.ino);
    expect(await fs.readlink(path.join(f.dependencies, '.bin', 'dep'))).toBe('../dep/index.js');

    // Still waiting: nothing of the start command ran.
    expect(withoutLauncherLine(await logTail(c, 4096))).toBe('');
    await c.kill({ signal: LAUNCHER_RELEASE_SIGNAL });
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    expect(StatusCode).toBe(0);
    const out = await logTail(c, 4096);
    expect(out.startsWith(`${LAUNCHER_READY_LINE}\n`)).toBe(true);
    // `sh -c` of the start command replaced the launcher: it has the launcher's PID 2 (docker-init is PID 1,
    // hardenedHostConfig sets Init), node is its child.
    expect(withoutLauncherLine(out).trim().split('\n')).toEqual([
      expect.stringMatching(/^main 42 \d+$/),
      'exit-ok 2',
    ]);
  });

  it('reapSlots removes an old slot no container uses, and keeps a young one and one whose run has a container', async () => {
    const old = path.join(root, `old-${randomUUID().slice(0, 8)}`);
    const young = path.join(root, `young-${randomUUID().slice(0, 8)}`);
    const usedId = `used-${randomUUID().slice(0, 8)}`;
    const used = path.join(root, usedId);
    for (const d of [old, young, used]) await createSlot(d);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await fs.utimes(old, hourAgo, hourAgo);
    await fs.utimes(used, hourAgo, hourAgo);
    const c = await docker.createContainer({
      Image: 'stackgrade/node22:latest',
      Cmd: ['true'],
      Labels: {
        [LABELS.version]: '1',
        [LABELS.runId]: usedId,
        [LABELS.deadline]: String(Date.now() + 120_000),
      },
    });
    created.push(c);

    const removed = await reapSlots(docker, root, log);
    expect(removed).toBeGreaterThanOrEqual(1);
    const left = await fs.readdir(root);
    expect(left).not.toContain(path.basename(old));
    expect(left).toContain(path.basename(young));
    expect(left).toContain(usedId);
    expect(await reapSlots(docker, path.join(root, 'missing'), log)).toBe(0);
  });
});
