import type { Db } from 'mongodb';

/** Commands run per name in a window, from `serverStatus.metrics.commands.<name>.total` deltas. */
export type CommandCounts = Record<string, number>;

async function snapshot(db: Db): Promise<CommandCounts> {
  const s = (await db.admin().command({ serverStatus: 1 })) as {
    metrics?: { commands?: Record<string, unknown> };
  };
  const out: CommandCounts = {};
  for (const [name, v] of Object.entries(s.metrics?.commands ?? {})) {
    const total = (v as { total?: unknown } | null)?.total;
    if (total !== undefined) out[name] = Number(total);
  }
  return out;
}

/**
 * Runs `fn` and returns how many commands of each name the server ran meanwhile (server-wide: requests must be
 * sequential and nothing else may use the server; the grader's own `serverStatus` reads are subtracted).
 * Works on MongoDB and on FerretDB 1.24 (which implements `metrics.commands` but no profiler), so it is the
 * portable way to count round trips per request and detect N+1 by scaling (docs/grading.md M-01).
 */
export async function countCommands<T>(
  db: Db,
  fn: () => Promise<T>,
): Promise<{ result: T; commands: CommandCounts; total: number }> {
  const before = await snapshot(db);
  const result = await fn();
  const after = await snapshot(db);
  const commands: CommandCounts = {};
  let total = 0;
  for (const [name, n] of Object.entries(after)) {
    let d = n - (before[name] ?? 0);
    if (name === 'serverStatus') d -= 1;
    if (d > 0) {
      commands[name] = d;
      total += d;
    }
  }
  return { result, commands, total };
}
