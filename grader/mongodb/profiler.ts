import type { Db, Document } from 'mongodb';
import { profileStats, type MongoOpStats } from './explain-analysis';

/** One operation the profiler recorded for the candidate, with its statistics. */
export interface ProfiledOp extends MongoOpStats {
  op: string;
  ns: string;
  command: Document;
}

/**
 * Whether the server implements the database profiler (`profile` command). MongoDB does; FerretDB 1.24
 * answers CommandNotFound (code 59), as checked against FerretDB 1.24.2.
 */
export async function profilerSupported(db: Db): Promise<boolean> {
  try {
    await db.command({ profile: -1 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` with the profiler at level 2 (all operations, slowms 0) on `db` and returns the operations other
 * clients than the grader ran meanwhile (entries whose `appName` is `grader` are dropped, so the grader must
 * connect with `appName: 'grader'`), excluding `system.*` namespaces (docs/grading.md, "MongoDB and Redis
 * probes"). The profiler is set back to level 0 afterwards. `system.profile` is recreated capped at 64 MiB
 * (the default cap is 1 MiB).
 *
 * @throws the server's error when it has no profiler (see {@link profilerSupported}).
 */
export async function profileOps<T>(
  db: Db,
  fn: () => Promise<T>,
  opts: { graderAppName?: string } = {},
): Promise<{ result: T; ops: ProfiledOp[] }> {
  await db.command({ profile: 0 });
  await db
    .collection('system.profile')
    .drop()
    .catch(() => undefined);
  await db.createCollection('system.profile', { capped: true, size: 64 * 1024 * 1024 });
  await db.command({ profile: 2, slowms: 0 });
  const t0 = new Date();
  let result: T;
  try {
    result = await fn();
  } finally {
    await db.command({ profile: 0 });
  }
  const entries = await db
    .collection('system.profile')
    .find({ ts: { $gte: t0 }, ns: { $not: /\.system\./ }, appName: { $ne: opts.graderAppName ?? 'grader' } })
    .toArray();
  return {
    result,
    ops: entries.map((e) => ({
      op: String(e.op),
      ns: String(e.ns),
      command: (e.command ?? {}) as Document,
      ...profileStats(e),
    })),
  };
}
