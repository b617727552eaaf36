import type { Db } from 'mongodb';
import type { HttpResponse } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';
import { countCommands } from './command-counter';

/** Options of {@link mongoNPlusOne}. */
export interface MongoNPlusOneOptions {
  label: string;
  small: { size: number; send: () => Promise<HttpResponse> };
  large: { size: number; send: () => Promise<HttpResponse> };
  /** Commands the large request may run beyond the small one (default 1). */
  slack?: number;
}

/**
 * N+1 detection on MongoDB by scaling (docs/grading.md M-01): each request is sent once to warm up, then
 * measured with {@link countCommands}; fails when the command count grows with the size by more than
 * `slack` (a `find` per item instead of `$in` or `$lookup`). Server-wide counters: nothing else may use the
 * server meanwhile.
 */
export async function mongoNPlusOne(db: Db, o: MongoNPlusOneOptions): Promise<Verdict> {
  await o.small.send();
  const s = await countCommands(db, o.small.send);
  await o.large.send();
  const l = await countCommands(db, o.large.send);
  const evidence = {
    [`size_${o.small.size}`]: { total: s.total, commands: s.commands },
    [`size_${o.large.size}`]: { total: l.total, commands: l.commands },
  };
  for (const [r, size] of [
    [s.result, o.small.size],
    [l.result, o.large.size],
  ] as const)
    if (r.status >= 300) return failed(`${o.label} (size ${size}) answered ${r.status}.`, evidence);
  if (l.total - s.total > (o.slack ?? 1))
    return failed(
      `${o.label} ran ${s.total} database commands at size ${o.small.size} and ${l.total} at size ${o.large.size}: something is queried once per item (N+1).`,
      evidence,
    );
  return passed(evidence);
}
