/**
 * Work folders: a runner restarted with the same worker id empties its root, and the reaper removes what dead
 * gradings left in any root (old grading folders, unused slots, empty roots of dead workers, folders of the
 * layout before worker roots) while it keeps what a living grading may still use.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import {
  claimWorkerRoot,
  reapWorkFolders,
  releaseWorkerRoot,
  slotsRoot,
  workerKey,
  workerRoot,
} from '../../../runner/grading/work-folders';
import { logger } from '../../../runner/lib/logger';

const docker = new Docker();
const log = logger.child({}, { level: 'warn' });
const HOUR_AGO = new Date(Date.now() - 3_600_000);
const MAX_RUN_MS = 600_000;

async function makeDir(p: string, old = false): Promise<string> {
  await fs.mkdir(p, { recursive: true });
  if (old) await fs.utimes(p, HOUR_AGO, HOUR_AGO);
  return p;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

describe('work folders', () => {
  let home: string;

  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'sg-home-'));
  });

  afterEach(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  it('workerKey is a safe folder name, different for worker ids that read alike', () => {
    const a = workerKey('host/1 2');
    expect(a).toMatch(/^host_1_2-[0-9a-f]{8}$/);
    expect(workerKey('host_1_2')).not.toBe(a);
    expect(workerKey('x'.repeat(300)).length).toBeLessThanOrEqual(48 + 9);
  });

  it('claimWorkerRoot empties the root of its own worker id and leaves other roots alone', async () => {
    const own = workerRoot(home, 'runner-a');
    const other = workerRoot(home, 'runner-b');
    await makeDir(path.join(own, 'abcd1234-1-0a0b0c', 'solution'));
    await makeDir(path.join(slotsRoot(own), 'abcd1234-1-0a0b0c', 'app'));
    await makeDir(path.join(other, 'ffff0000-1-000000'));

    expect(await claimWorkerRoot(home, 'runner-a', log)).toBe(2);
    expect(await fs.readdir(own)).toEqual(['slots']);
    expect(await fs.readdir(slotsRoot(own))).toEqual([]);
    expect(await fs.readdir(other)).toEqual(['ffff0000-1-000000']);
    // A first start (no root yet) creates it.
    expect(await claimWorkerRoot(home, 'runner-c', log)).toBe(0);
    expect(await exists(slotsRoot(workerRoot(home, 'runner-c')))).toBe(true);
  });

  it('releaseWorkerRoot removes an empty root at shutdown and keeps one that still holds a folder', async () => {
    await claimWorkerRoot(home, 'runner-a', log);
    await releaseWorkerRoot(home, 'runner-a');
    expect(await exists(workerRoot(home, 'runner-a'))).toBe(false);
    await claimWorkerRoot(home, 'runner-b', log);
    const slot = await makeDir(path.join(slotsRoot(workerRoot(home, 'runner-b')), 'eeee0000-1-000001'));
    await releaseWorkerRoot(home, 'runner-b');
    expect(await exists(slot)).toBe(true);
  });

  it('reapWorkFolders removes old grading folders, unused old slots and the empty old roots of other workers; keeps young ones and its own root', async () => {
    const own = workerRoot(home, 'runner-a');
    const dead = workerRoot(home, 'runner-dead');
    const oldRun = await makeDir(path.join(own, 'aaaa0000-1-000001'), true);
    const youngRun = await makeDir(path.join(own, 'aaaa0000-1-000002'));
    const oldSlot = await makeDir(path.join(slotsRoot(own), 'aaaa0000-1-000001'), true);
    const youngSlot = await makeDir(path.join(slotsRoot(own), 'aaaa0000-1-000002'));
    const deadRun = await makeDir(path.join(dead, 'bbbb0000-1-000001'), true);
    // The layout before worker roots: work/<run id>/solution and work/slots/<run id>.
    const legacyRun = path.join(home, 'work', 'cccc0000-1-000001');
    await makeDir(path.join(legacyRun, 'solution'), true);
    await fs.utimes(legacyRun, HOUR_AGO, HOUR_AGO);
    const legacySlot = await makeDir(path.join(home, 'work', 'slots', 'cccc0000-1-000002'), true);
    await fs.utimes(own, HOUR_AGO, HOUR_AGO);
    await fs.utimes(dead, HOUR_AGO, HOUR_AGO);

    const opts = { maxRunMs: MAX_RUN_MS, ownRoot: own, slotGraceMs: MAX_RUN_MS };
    const removed = await reapWorkFolders(docker, home, log, opts);
    expect(await exists(oldRun)).toBe(false);
    expect(await exists(oldSlot)).toBe(false);
    expect(await exists(deadRun)).toBe(false);
    expect(await exists(path.join(legacyRun, 'solution'))).toBe(false);
    expect(await exists(legacySlot)).toBe(false);
    expect(await exists(youngRun)).toBe(true);
    expect(await exists(youngSlot)).toBe(true);
    expect(removed).toBe(5);

    // The dead worker's root is empty now, but its last change is recent: a second pass keeps it until it is
    // old, then removes it; the caller's own root is kept however old and empty.
    expect(await exists(dead)).toBe(true);
    await fs.rm(youngRun, { recursive: true });
    await fs.rm(youngSlot, { recursive: true });
    for (const p of [dead, legacyRun, own]) await fs.utimes(p, HOUR_AGO, HOUR_AGO);
    expect(await reapWorkFolders(docker, home, log, opts)).toBe(2);
    expect(await exists(dead)).toBe(false);
    expect(await exists(legacyRun)).toBe(false);
    expect(await exists(own)).toBe(true);
  });

  it('reapWorkFolders keeps an old root of another worker that still holds a young grading folder', async () => {
    const other = workerRoot(home, 'runner-b');
    const young = await makeDir(path.join(other, 'dddd0000-1-000001'));
    await fs.utimes(other, HOUR_AGO, HOUR_AGO);
    expect(await reapWorkFolders(docker, home, log, { maxRunMs: MAX_RUN_MS })).toBe(0);
    expect(await exists(young)).toBe(true);
  });
});
