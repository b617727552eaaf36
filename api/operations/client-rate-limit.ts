import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo, type Store } from 'express-rate-limit';
import type Redis from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError } from '../../runner/contract/app-error';
import { principalOf } from '../middleware/authenticate';

/** A per-client request budget on the /v1 routes. */
export interface ClientRateLimit {
  /** Requests allowed per window. */
  limit: number;
  /** Window length, seconds. */
  windowS: number;
}

/** Default: 300 requests per client and minute (config `RATE_LIMIT`, `RATE_LIMIT_WINDOW_S`). */
export const DEFAULT_RATE_LIMIT: ClientRateLimit = { limit: 300, windowS: 60 };

/**
 * Per-client rate limit of the public `/v1` routes, on express-rate-limit: fixed windows counted in Redis
 * (rate-limit-redis, shared by every API process) when `redis` is given, else in this process. Mount after
 * `authenticate`: the client is the API key (`key:<id>`), the candidate session (`invite:<id>`), or the IP
 * address (an IPv6 /56 counts as one, express-rate-limit's `ipKeyGenerator`). Answers with the draft-8
 * `RateLimit`/`RateLimit-Policy` headers; past the limit the request fails with AppError `RATE_LIMITED` (429
 * problem+json, `details.retry_after_s`), which the error handler turns into `Retry-After` (RFC 9110 §10.2.3)
 * like the practice budget's. While Redis does not answer, requests pass (`passOnStoreError`): the limit
 * protects the graders, it must not take the API down with Redis.
 */
export function clientRateLimit(limit: ClientRateLimit = DEFAULT_RATE_LIMIT, redis?: Redis): RequestHandler {
  const store: Store | undefined = redis
    ? new RedisStore({
        prefix: 'stackgrade:rl:',
        sendCommand: (command: string, ...args: string[]) =>
          redis.call(command, ...args) as Promise<RedisReply>,
      })
    : undefined;
  return rateLimit({
    windowMs: limit.windowS * 1000,
    limit: limit.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    passOnStoreError: true,
    ...(store ? { store } : {}),
    keyGenerator: (req, res) => {
      const p = principalOf(res);
      if (p?.kind === 'key') return `key:${p.keyId}`;
      if (p?.kind === 'candidate') return `invite:${p.inviteId}`;
      return `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (req, _res, next) => {
      const reset = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime();
      const retryAfterS = Math.max(
        1,
        Math.ceil(((reset ?? Date.now() + limit.windowS * 1000) - Date.now()) / 1000),
      );
      next(
        new AppError(
          'RATE_LIMITED',
          `more than ${limit.limit} requests in ${limit.windowS} s from this client`,
          {
            details: { retry_after_s: retryAfterS },
          },
        ),
      );
    },
  });
}

/** The seconds of a `RATE_LIMITED` AppError's `details.retry_after_s`, or undefined for any other error. */
export function retryAfterSeconds(err: unknown): number | undefined {
  if (!(err instanceof AppError) || err.code !== 'RATE_LIMITED') return undefined;
  const s = (err.details as { retry_after_s?: unknown } | undefined)?.retry_after_s;
  return typeof s === 'number' && Number.isFinite(s) ? s : undefined;
}
