/**
 * The grader SDK's Redis cache probes against an own redis-server (INFO deltas are server-wide, so not the
 * shared one) and its performance probes against in-process node:http services: a cached and an uncached
 * service, keys with and without TTL, a fast and a CPU-bound service.
 */
import { Redis } from 'ioredis';
import {
  cacheExpires,
  cacheHit,
  cgroupCpuUsec,
  compareThroughput,
  cpuPerRequest,
  HttpClient,
  keysExpire,
  Random,
  type CheckContext,
} from '../../../grader';
import type { PgProbe } from '../../../grader';
import { startApp, startRedis } from './support';

let redisServer: { url: string; stop: () => Promise<void> };
let redis: Redis;
let appRedis: Redis;
let client: HttpClient;
let closeApp: () => Promise<void>;
let dbReads = 0;

beforeAll(async () => {
  redisServer = await startRedis();
  redis = new Redis(redisServer.url);
  appRedis = new Redis(redisServer.url);
  const app = await startApp(async (_req, url) => {
    const m = /^\/(cached|uncached|immortal|short)\/(\d+)$/.exec(url.pathname);
    if (!m) return { status: 404, body: { error: 'no route' } };
    const [, mode, id] = m;
    const key = `cache:${mode}:${id}`;
    if (mode !== 'uncached') {
      const hit = await appRedis.get(key);
      if (hit) return { body: hit };
    }
    dbReads++;
    const value = JSON.stringify({ id: Number(id), name: `product ${id}` });
    if (mode === 'cached') await appRedis.set(key, value, 'EX', 60);
    if (mode === 'short') await appRedis.set(key, value, 'PX', 500);
    if (mode === 'immortal') await appRedis.set(key, value);
    return { body: value };
  });
  client = new HttpClient(app.url);
  closeApp = app.close;
});

afterAll(async () => {
  await closeApp?.();
  redis?.disconnect();
  appRedis?.disconnect();
  await redisServer?.stop();
});

const dbWork = async (send: () => ReturnType<HttpClient['request']>) => {
  const before = dbReads;
  const response = await send();
  return { response, work: dbReads - before };
};

describe('grader SDK: Redis cache probes', () => {
  it('cache hit: the repeated request reads Redis and not the database', async () => {
    const good = await cacheHit(redis, {
      label: 'GET /cached/1',
      send: () => client.request({ path: '/cached/1' }),
      dbWork,
    });
    const bad = await cacheHit(redis, {
      label: 'GET /uncached/1',
      send: () => client.request({ path: '/uncached/1' }),
      dbWork,
    });
    expect(good).toMatchObject({
      pass: true,
      evidence: { db_work: 0, redis: { keyspace_hits: 1, keyspace_misses: 0 } },
    });
    expect(bad).toMatchObject({ pass: false, evidence: { redis: { keyspace_hits: 0 } } });
  });

  it('cache keys carry a bounded TTL', async () => {
    await client.request({ path: '/cached/2' });
    await client.request({ path: '/immortal/2' });
    expect(await keysExpire(redis, 'cache:cached:*', 120)).toMatchObject({ pass: true });
    const bad = await keysExpire(redis, 'cache:immortal:*', 120);
    expect(bad.pass).toBe(false);
    expect(bad.message).toMatch(/never expires/);
  });

  it('a cached entry expires: INFO shows an expired key and a miss after the TTL', async () => {
    expect(
      await cacheExpires(redis, {
        label: 'GET /short/3',
        send: () => client.request({ path: '/short/3' }),
        waitMs: 800,
      }),
    ).toMatchObject({
      pass: true,
    });
    expect(
      (
        await cacheExpires(redis, {
          label: 'GET /immortal/3',
          send: () => client.request({ path: '/immortal/3' }),
          waitMs: 800,
        })
      ).pass,
    ).toBe(false);
  });
});

describe('grader SDK: performance probes', () => {
  /** A service answering JSON; `spinMs` of synchronous CPU work per request makes it slow. */
  async function service(spinMs: number) {
    return startApp(() => {
      const until = process.hrtime.bigint() + BigInt(spinMs * 1e6);
      while (process.hrtime.bigint() < until);
      return { body: { ok: true } };
    });
  }
  const ctxFor = (app: string, ref: string): CheckContext => ({
    app: new HttpClient(app),
    ref: new HttpClient(ref),
    services: {},
    secrets: {},
    forbidInServiceLog: () => undefined,
    db: null as unknown as PgProbe,
    refDb: null,
    rng: new Random(1),
    evidence: {},
    state: new Map(),
  });

  it('throughput is a ratio to the reference measured in the same run', async () => {
    const fast = await service(0);
    const slow = await service(3);
    try {
      const same = ctxFor(fast.url, fast.url);
      await expect(
        compareThroughput(same, {
          paths: ['/x'],
          warmupS: 0.25,
          windowS: 0.3,
          minRuns: 3,
          maxRuns: 3,
          connections: 4,
        }),
      ).resolves.toEqual({ ratio: expect.any(Number) });
      const worse = ctxFor(slow.url, fast.url);
      await expect(
        compareThroughput(worse, {
          paths: ['/x'],
          warmupS: 0.25,
          windowS: 0.3,
          minRuns: 3,
          maxRuns: 3,
          connections: 4,
        }),
      ).rejects.toThrow(/of the reference/);
      expect((worse.evidence.load as { ratio: number }).ratio).toBeLessThan(0.5);
    } finally {
      await fast.close();
      await slow.close();
    }
  });

  it('CPU time per request from the cgroup', async () => {
    const usage = await cgroupCpuUsec();
    if (usage === null) {
      // Not readable here (e.g. under gVisor): the probe reports null rather than a guess.
      expect(await cpuPerRequest(cgroupCpuUsec, async () => 1)).toMatchObject({ usecPerRequest: null });
      return;
    }
    const slow = await service(2);
    try {
      const c = new HttpClient(slow.url);
      const r = await cpuPerRequest(cgroupCpuUsec, async () => {
        for (let i = 0; i < 50; i++) await c.request({ path: '/x' });
        return 50;
      });
      // 2 ms of busy CPU per request in this process's own cgroup.
      expect(r.usecPerRequest).toBeGreaterThan(1500);
    } finally {
      await slow.close();
    }
    expect(await cgroupCpuUsec('/nonexistent-cgroup')).toBeNull();
  });
});
