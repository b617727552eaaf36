import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import type { Logger } from '../lib/logger';
import { reapSlots } from '../sandbox/candidate-slot';

/**
 * Host-side work folders of gradings. Each runner (worker id) has its own root,
 * `<STACKGRADE_HOME>/work/<worker key>/`, holding one folder per grading run (`<run id>/`: the solution's
 * files) and `slots/` (the candidate slots of its pods, runner/sandbox/candidate-slot.ts). A runner that
 * dies (SIGKILL, OOM, power loss) cannot remove them; {@link claimWorkerRoot} and {@link reapWorkFolders}
 * do, the same way the container reaper removes its containers (docs/architecture.md, "Work folders").
 */
const SLOTS = 'slots';

/**
 * The folder name of worker `workerId` under `<home>/work`: its characters outside `[A-Za-z0-9._-]` become
 * `_` (first 48 kept) and 8 hex digits of its SHA-256 are appended, so two worker ids never share a root.
 */
export function workerKey(workerId: string): string {
  const readable = workerId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 48);
  return `${readable}-${crypto.createHash('sha256').update(workerId).digest('hex').slice(0, 8)}`;
}

/** The work root of worker `workerId` (see the module comment). */
export function workerRoot(home: string, workerId: string): string {
  return path.join(home, 'work', workerKey(workerId));
}

/** Where the pods of the worker whose root is `root` keep their candidate slots. */
export function slotsRoot(root: string): string {
  return path.join(root, SLOTS);
}

/**
 * Empties the work root of worker `workerId` and creates it again (mode 0755). Call once at the runner's
 * start-up, after its containers were reaped: what the root holds belonged to a previous process with the
 * same worker id, whose gradings died with it. Returns how many entries were removed; throws on I/O errors.
 */
export async function claimWorkerRoot(home: string, workerId: string, log: Logger): Promise<number> {
  const root = workerRoot(home, workerId);
  const left = await readdirOrEmpty(root);
  await fs.rm(root, { recursive: true, force: true });
  await fs.mkdir(slotsRoot(root), { recursive: true, mode: 0o755 });
  if (left.length)
    log.info({ root, removed: left }, 'removed the work folders a previous runner process left');
  return left.length;
}

/**
 * Removes the work root of worker `workerId` when nothing is left in it (but an empty `slots/`): call at a
 * clean shutdown, after the pods' removals settled. Never throws; a root still in use is kept.
 */
export async function releaseWorkerRoot(home: string, workerId: string): Promise<void> {
  const root = workerRoot(home, workerId);
  await fs.rmdir(slotsRoot(root)).catch(() => undefined);
  await fs.rmdir(root).catch(() => undefined);
}

/** Options of {@link reapWorkFolders}. */
export interface WorkFolderReapOptions {
  /**
   * A grading folder older than this (ms, by its modification time, set when the grading created it) is a
   * dead grading's: the longest a grading lives is its dependency install plus its wall-clock limit.
   */
  maxRunMs: number;
  /** The caller's own root: kept even when empty. */
  ownRoot?: string;
  /** Passed to reapSlots (a slot's grace before it counts as unused). */
  slotGraceMs?: number;
  now?: number;
}

/**
 * Removes what dead gradings left under `<home>/work`, in every worker's root (also of workers that will
 * never start again, since a default worker id names a process): grading folders older than `maxRunMs`, the
 * candidate slots no container uses (reapSlots), and then roots left empty for longer than `maxRunMs`
 * (except `ownRoot`). Folders of the layout before worker roots (`work/<run id>/`, `work/slots/`) are
 * treated as roots too and so removed once old. Returns how many folders were removed; never throws.
 */
export async function reapWorkFolders(
  docker: Docker,
  home: string,
  log: Logger,
  opts: WorkFolderReapOptions,
): Promise<number> {
  const now = opts.now ?? Date.now();
  const work = path.join(home, 'work');
  const old = async (p: string): Promise<boolean> => {
    const st = await fs.stat(p).catch(() => null);
    return !!st && st.isDirectory() && now - st.mtimeMs > opts.maxRunMs;
  };
  let removed = 0;
  try {
    for (const name of await readdirOrEmpty(work)) {
      // A file under work/ lists as empty and is never old (old() wants a folder), so it is left alone.
      const root = path.join(work, name);
      for (const entry of await readdirOrEmpty(root)) {
        const p = path.join(root, entry);
        if (entry === SLOTS) {
          removed += await reapSlots(docker, p, log, { graceMs: opts.slotGraceMs, now });
        } else if (await old(p)) {
          await fs.rm(p, { recursive: true, force: true });
          removed++;
        }
      }
      if (root === opts.ownRoot) continue;
      // Only a root with nothing in it (but an empty slots/) whose last change is old: a tool process may be
      // about to start a grading in it. rmdir fails on a folder that is not empty, so nothing new is lost.
      const rest = (await readdirOrEmpty(root)).filter((e) => e !== SLOTS);
      if (rest.length || (await readdirOrEmpty(slotsRoot(root))).length || !(await old(root))) continue;
      await fs.rmdir(slotsRoot(root)).catch(() => undefined);
      if (
        await fs.rmdir(root).then(
          () => true,
          () => false,
        )
      )
        removed++;
    }
  } catch (err) {
    log.warn({ work, err: String(err) }, 'could not reap work folders');
  }
  if (removed) log.info({ removed }, 'reaped leftover work folders');
  return removed;
}

/** The names in `dir`, or none when it does not exist or is not a folder; throws on other I/O errors. */
async function readdirOrEmpty(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [] as string[];
    throw err;
  });
}
