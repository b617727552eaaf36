import type { Db } from 'mongodb';

/** Commands run per name in a window, from `serverStatus.metrics.commands.<name>.total` deltas. */
export type CommandCounts = Record<string, number>;

/**
 * Commands that are not a query of the request being measured, left out of `total`: drivers' server
 * monitoring and connection handshakes (run on a timer or when a pool grows, so their count depends on timing,
 * see the MongoDB Server Discovery and Monitoring and Connection Monitoring and Pooling specifications),
 * session bookkeeping, and `getMore`/`killCursors`, which continue or close a cursor another command opened
 * (one query read in several batches is still one query).
 */
export const NON_QUERY_COMMANDS: ReadonlySet<string> = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'getParameter',
  'saslStart',
  'saslContinue',
  'authenticate',
  'logout',
  'endSessions',
  'getMore',
  'killCursors',
  'serverStatus',
]);

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
 * `commands` lists every command seen; `total` counts only queries and writes ({@link NON_QUERY_COMMANDS}
 * are left out).
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
      if (!NON_QUERY_COMMANDS.has(name)) total += d;
    }
  }
  return { result, commands, total };
}
