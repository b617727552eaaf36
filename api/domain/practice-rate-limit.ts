import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** How many practice runs one client may start per challenge in a window. */
export interface PracticeRateLimit {
  /** Practice submissions allowed per window. */
  points: number;
  /** Window length, seconds. */
  windowS: number;
}

/** Default practice budget: 10 runs per challenge and client per 10 minutes. */
export const DEFAULT_PRACTICE_RATE_LIMIT: PracticeRateLimit = { points: 10, windowS: 600 };

/** Counts practice submissions per key (`<challenge>:<client>`). */
export interface PracticeRateLimiter {
  /** Takes one run from `key`'s budget: null when allowed, else the seconds until one is free again. */
  consume(key: string): Promise<number | null>;
}

/**
 * A {@link PracticeRateLimiter} on rate-limiter-flexible: fixed windows counted in Redis (shared by every
 * API process) when `redis` is given, with an in-process counter as insurance while Redis is down; only
 * in-process without it (a single API process, tests).
 */
export function createPracticeRateLimiter(
  limit: PracticeRateLimit = DEFAULT_PRACTICE_RATE_LIMIT,
  redis?: Redis,
): PracticeRateLimiter {
  const opts = { points: limit.points, duration: limit.windowS, keyPrefix: 'stackgrade:practice' };
  const memory = new RateLimiterMemory(opts);
  const limiter = redis
    ? new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: memory })
    : memory;
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return null;
      } catch (res) {
        if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw res;
      }
    },
  };
}
