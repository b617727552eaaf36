import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import type { Logger } from '../lib/logger';
import { LABELS } from './labels';

const run = promisify(execFile);

/**
 * The candidate's container is started before its code is there (a warm pod starts it while it waits for a
 * submission): its process is this launcher, a POSIX shell that announces {@link LAUNCHER_READY_LINE} once
 * its signal trap is armed, then sleeps until {@link LAUNCHER_RELEASE_SIGNAL}, and then replaces itself with
 * `sh -c "<start command>"`, reading the command from the slot's control folder. What gVisor costs to start a
 * sandbox (~330 ms measured, BENCHMARKS.md) is so paid before the submission arrives; after the exec the
 * candidate's process has the launcher's PID (docker-init's child) exactly as if it had been started directly.
 */
export const LAUNCHER_SCRIPT = [
  `trap 'kill "$s" 2>/dev/null; exec sh -c "$(cat /run/stackgrade/start-command)"' USR1`,
  'echo STACKGRADE_LAUNCHER_READY',
  'while :; do sleep 3600 & s=$!; wait "$s"; done',
].join('\n');
/** The line the launcher prints once its trap is armed (a signal before would end it: SIGUSR1's default). */
export const LAUNCHER_READY_LINE = 'STACKGRADE_LAUNCHER_READY';
/** The signal that makes the launcher exec the candidate's start command. */
export const LAUNCHER_RELEASE_SIGNAL = 'SIGUSR1';

/**
 * Where the slot's folders are mounted in the candidate's container (all read-only); the dependency folder's
 * mount point is its runtime's (`RuntimeLaunch.dependencyMount`: /node_modules, /venv, /build).
 */
export const SLOT_MOUNTS = { app: '/app', control: '/run/stackgrade' } as const;

/** The three host folders of a slot, mounted read-only into the candidate's container. */
export interface SlotFolders {
  /** The solution's files (mounted at /app). */
  app: string;
  /** The solution's installed dependencies (mounted at its runtime's mount point; empty when it has none). */
  dependencies: string;
  /** `start-command`, the solution's start command (mounted at /run/stackgrade). */
  control: string;
}

/** The folders of the slot at `slotDir`. */
export function slotFolders(slotDir: string): SlotFolders {
  return {
    app: path.join(slotDir, 'app'),
    dependencies: path.join(slotDir, 'dependencies'),
    control: path.join(slotDir, 'control'),
  };
}

/** Creates the slot's three empty folders (mode 0755: the candidate's uid reads them). Throws on I/O errors. */
export async function createSlot(slotDir: string): Promise<SlotFolders> {
  const f = slotFolders(slotDir);
  for (const dir of [f.app, f.dependencies, f.control]) {
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    await fs.chmod(dir, 0o755);
  }
  return f;
}

/** What {@link fillSlot} puts into a slot. */
export interface SlotContent {
  /** Host folder with the solution's files. */
  codeDir: string;
  /** Host folder of its installed dependencies (the install cache), or null. */
  dependenciesDir: string | null;
  /** Its start command. */
  startCommand: string;
}

/**
 * Fills a slot made by {@link createSlot} just before its launcher is released: copies the solution's files
 * (`cp -a`, modes kept), hard-links its dependencies from the install cache (`cp -al`: ~12 ms for the 913
 * entries of the orders-api reference; a plain copy when the cache is on another file system; the mount is
 * read-only, so the candidate cannot change the cache through the links), and writes the start command.
 * Throws when a copy fails.
 */
export async function fillSlot(slotDir: string, content: SlotContent): Promise<void> {
  const f = slotFolders(slotDir);
  await run('cp', ['-a', '--', `${content.codeDir}/.`, f.app]);
  if (content.dependenciesDir) {
    try {
      await run('cp', ['-al', '--', `${content.dependenciesDir}/.`, f.dependencies]);
    } catch {
      await fs.rm(f.dependencies, { recursive: true, force: true });
      await fs.mkdir(f.dependencies, { mode: 0o755 });
      await run('cp', ['-a', '--', `${content.dependenciesDir}/.`, f.dependencies]);
    }
  }
  await fs.writeFile(path.join(f.control, 'start-command'), content.startCommand, { mode: 0o644 });
}

/** Removes a slot folder and everything in it. Never throws (logs). */
export async function removeSlot(slotDir: string, log: Logger): Promise<void> {
  try {
    await fs.rm(slotDir, { recursive: true, force: true });
  } catch (err) {
    log.warn({ slotDir, err: String(err) }, 'could not remove a candidate slot');
  }
}

/**
 * Removes the slot folders under `root` (one per run id, see {@link slotFolders}) whose run has no container
 * left and that are older than `graceMs` (default 10 min: a pod being prepared creates its folder before its
 * containers): what a runner that died left behind. Returns how many were removed; never throws.
 */
export async function reapSlots(
  docker: Docker,
  root: string,
  log: Logger,
  opts: { graceMs?: number; now?: number } = {},
): Promise<number> {
  const now = opts.now ?? Date.now();
  const graceMs = opts.graceMs ?? 600_000;
  let removed = 0;
  try {
    const names = await fs.readdir(root).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    if (!names.length) return 0;
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.version}=1`] } });
    const live = new Set(list.map((c) => c.Labels[LABELS.runId]));
    for (const name of names) {
      if (live.has(name)) continue;
      const dir = path.join(root, name);
      const st = await fs.stat(dir).catch(() => null);
      if (!st || now - st.mtimeMs < graceMs) continue;
      await fs.rm(dir, { recursive: true, force: true });
      removed++;
    }
  } catch (err) {
    log.warn({ root, err: String(err) }, 'could not reap candidate slots');
  }
  if (removed) log.info({ removed }, 'reaped leftover candidate slots');
  return removed;
}

/** A candidate's log without the launcher's own first line (what the candidate's process wrote). */
export function withoutLauncherLine(log: string): string {
  const first = `${LAUNCHER_READY_LINE}\n`;
  return log.startsWith(first) ? log.slice(first.length) : log;
}
