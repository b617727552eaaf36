/**
 * The security checks of auth-service that run last (`runLast`): the throttling probes, which lock accounts
 * and clients, and the service-log check, which forbids every password the run sent.
 */
import { defineCheck, expect, serviceOf, type CheckContext, type HttpResponse } from '../../../grader';
import {
  freshIp,
  login,
  newEmail,
  newPassword,
  passwordsSent,
  register,
  resetToken,
  send,
  session,
} from './fixtures';

/** Keys of the Redis service (SCAN; the seed has none). */
async function redisKeys(ctx: CheckContext): Promise<Set<string>> {
  const { redis } = serviceOf(ctx.services, 'cache', 'redis');
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const k of batch) keys.add(k);
  } while (cursor !== '0');
  return keys;
}

/** The checks that run after every other one, in this order. */
export const lastSecurityChecks = [
  defineCheck(
    's-login-throttle-account',
    async (ctx) => {
      const a = await register(ctx, 'brute');
      const statuses: number[] = [];
      for (let i = 0; i < 50; i++) {
        // Try 31 guesses right: a limiter that lets it through has not stopped the attack.
        const r = await login(ctx, a.email, i === 30 ? a.password : newPassword(ctx));
        statuses.push(r.status);
      }
      const first = statuses.findIndex((s) => s === 429 || s === 423);
      ctx.evidence.statuses = statuses;
      expect(
        first !== -1 && first < 10,
        `50 failed logins on one account (each from another client) were not refused with 429 within 10 tries.`,
      );
      const through = statuses.slice(first).filter((s) => s !== 429 && s !== 423);
      expect(
        through.length === 0,
        `After the first 429 the attack still got answers ${[...new Set(through)].join(', ')}.`,
      );
    },
    { runLast: true, timeoutMs: 120_000 },
  ),

  defineCheck(
    's-login-throttle-client',
    async (ctx) => {
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 50; i++) {
        const r = await login(ctx, newEmail(ctx, 'spray'), newPassword(ctx), ip);
        statuses.push(r.status);
        if (r.status === 429 || r.status === 423) break;
      }
      ctx.evidence.statuses = statuses;
      const at = statuses.findIndex((s) => s === 429 || s === 423);
      expect(
        at !== -1 && at < 25,
        `One client failed ${statuses.length} logins on different accounts without a 429 within 25.`,
      );
    },
    { runLast: true, timeoutMs: 120_000 },
  ),

  defineCheck(
    's-lockout-expires',
    async (ctx) => {
      const before = await redisKeys(ctx);
      const a = await register(ctx, 'lockout');
      let limited: HttpResponse | null = null;
      for (let i = 0; i < 12 && !limited; i++) {
        const r = await login(ctx, a.email, newPassword(ctx));
        if (r.status === 429 || r.status === 423) limited = r;
      }
      if (!limited) {
        ctx.evidence.note =
          'no lockout within 12 tries: nothing to expire (judged by s-login-throttle-account)';
        return;
      }
      const retry = limited.headers['retry-after'] ?? '';
      const seconds = /^\d+$/.test(retry) ? Number(retry) : (Date.parse(retry) - Date.now()) / 1000;
      const { redis } = serviceOf(ctx.services, 'cache', 'redis');
      const added = [...(await redisKeys(ctx))].filter((k) => !before.has(k));
      const ttls = await Promise.all(added.map(async (k) => [k, await redis.ttl(k)] as const));
      ctx.evidence.retry_after = retry;
      ctx.evidence.new_keys = Object.fromEntries(ttls);
      expect(
        seconds > 0 && seconds <= 900,
        `The 429 must carry Retry-After of at most 900 seconds (got "${retry}").`,
      );
      const forever = ttls.filter(([, t]) => t < 0 || t > 900);
      expect(
        forever.length === 0,
        `Limiter keys that do not expire within 900 s: ${forever.map(([k, t]) => `${k} (TTL ${t})`).join(', ')}.`,
      );
    },
    { runLast: true },
  ),

  defineCheck(
    's-no-secrets-in-log',
    async (ctx) => {
      // Every way a password reaches the service, once more at the end of the run (the log keeps its newest
      // megabyte), then every password of the run is forbidden in the log; the runner searches it.
      const s = await session(ctx, 'log');
      await login(ctx, s.email, newPassword(ctx));
      const next = newPassword(ctx);
      await send(ctx, 'POST', '/me/password', { current_password: s.password, new_password: next }, s.auth);
      await send(ctx, 'POST', '/register', { email: s.email, password: newPassword(ctx) });
      const token = await resetToken(ctx, s.email);
      if (token)
        await send(ctx, 'POST', '/password-reset/confirm', { token, new_password: newPassword(ctx) });
      ctx.evidence.passwords_forbidden = passwordsSent.length;
      ctx.forbidInServiceLog(passwordsSent);
    },
    { runLast: true },
  ),
];
