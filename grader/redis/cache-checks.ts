import type { Redis } from 'ioredis';
import type { HttpResponse } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';
import { statsDelta } from './info-stats';

/** Options of {@link cacheHit}. */
export interface CacheHitOptions {
  label: string;
  send: () => Promise<HttpResponse>;
  /** Database work of the second request (e.g. pg_stat_statements statements): must be 0 when given (R-01). */
  dbWork?: (send: () => Promise<HttpResponse>) => Promise<{ response: HttpResponse; work: number }>;
}

/**
 * Sends the same request twice and passes when the second one hit the cache: `keyspace_hits` grew by at least
 * one during it, it answered the same body as the first, and, when `dbWork` is given, it did no database work
 * (docs/grading.md R-01).
 */
export async function cacheHit(redis: Redis, o: CacheHitOptions): Promise<Verdict> {
  const first = await o.send();
  let work: number | null = null;
  const { result: second, delta } = await statsDelta(redis, async () => {
    if (!o.dbWork) return o.send();
    const r = await o.dbWork(o.send);
    work = r.work;
    return r.response;
  });
  const evidence = { first_status: first.status, second_status: second.status, redis: delta, db_work: work };
  if (first.status !== 200 || second.status !== 200)
    return failed(`${o.label} answered ${first.status} then ${second.status}, expected 200.`, evidence);
  if (delta.keyspace_hits < 1)
    return failed(
      `${o.label}: the repeated request did not read the cache (no Redis keyspace hit).`,
      evidence,
    );
  if (second.text !== first.text)
    return failed(`${o.label}: the cached answer differs from the first.`, evidence);
  if (work !== null && work > 0)
    return failed(
      `${o.label}: the repeated request still queried the database (${work} statements) although it hit the cache.`,
      evidence,
    );
  return passed(evidence);
}

/**
 * Passes when every key matching `pattern` (SCAN, never KEYS: R-05) has a TTL in (0, maxTtlS] seconds
 * (`TTL` -1 means no expiry: docs/grading.md R-03), and at least one key matches.
 */
export async function keysExpire(redis: Redis, pattern: string, maxTtlS: number): Promise<Verdict> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0' && keys.length < 10_000);
  const ttls = await Promise.all(keys.slice(0, 200).map(async (k) => ({ key: k, ttl: await redis.ttl(k) })));
  const bad = ttls.filter((t) => t.ttl <= 0 || t.ttl > maxTtlS);
  const evidence = { pattern, keys: keys.length, sample: ttls.slice(0, 10), max_ttl_s: maxTtlS };
  if (keys.length === 0) return failed(`No cache keys match ${pattern}.`, evidence);
  if (bad.length)
    return failed(
      `Cache key ${bad[0]!.key} has TTL ${bad[0]!.ttl} s (${bad[0]!.ttl === -1 ? 'never expires' : `expected at most ${maxTtlS} s`}).`,
      { ...evidence, offending: bad.slice(0, 10) },
    );
  return passed(evidence);
}

/**
 * Passes when, after `waitMs` (longer than the cache TTL), the request misses the cache again and
 * `expired_keys` grew: the cached entry expired instead of being served stale forever (R-03 by behaviour).
 */
export async function cacheExpires(
  redis: Redis,
  o: { label: string; send: () => Promise<HttpResponse>; waitMs: number },
): Promise<Verdict> {
  await o.send();
  const { delta } = await statsDelta(redis, async () => {
    await new Promise((r) => setTimeout(r, o.waitMs));
    return o.send();
  });
  const evidence = { redis: delta, waited_ms: o.waitMs };
  if (delta.keyspace_misses < 1 || delta.expired_keys < 1)
    return failed(
      `${o.label}: after ${o.waitMs} ms the cached entry was still served (no expiry, no cache miss).`,
      evidence,
    );
  return passed(evidence);
}
