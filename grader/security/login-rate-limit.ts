import type { HttpClient, HttpRequest } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';

/** Options of {@link loginRateLimit}. */
export interface LoginRateLimitOptions {
  /** The i-th failed login attempt (wrong password for one dedicated account). */
  attempt: (i: number) => HttpRequest;
  /** Attempts to send at most (default 30, docs/grading.md S-18). */
  maxAttempts?: number;
  /** The limiter must answer within this many attempts (default 20). */
  limitWithin?: number;
}

/**
 * Login brute-force protection (OWASP API2:2023, also API4:2023): repeated wrong passwords for one account
 * must be answered 429 (or 423 Locked) within `limitWithin` attempts; a `Retry-After` or `RateLimit*` header
 * is recorded as a bonus. Limiters lock accounts and all grader traffic comes from 127.0.0.1: define the check
 * with `runLast: true` and a dedicated account.
 */
export async function loginRateLimit(client: HttpClient, o: LoginRateLimitOptions): Promise<Verdict> {
  const max = o.maxAttempts ?? 30;
  const within = o.limitWithin ?? 20;
  const statuses: number[] = [];
  let limitedAt: number | null = null;
  let headers: Record<string, string> = {};
  for (let i = 0; i < max; i++) {
    const r = await client.request(o.attempt(i));
    statuses.push(r.status);
    if (r.status === 429 || r.status === 423) {
      limitedAt = i + 1;
      headers = Object.fromEntries(
        Object.entries(r.headers).filter(([k]) => k === 'retry-after' || k.startsWith('ratelimit')),
      );
      break;
    }
    if (r.status >= 200 && r.status < 300)
      return failed(
        `Failed login attempt ${i + 1} succeeded: the probe's password was accepted.`,
        { statuses },
        'API2:2023',
      );
  }
  const evidence = { statuses, limited_at_attempt: limitedAt, limit_headers: headers };
  if (limitedAt === null || limitedAt > within)
    return failed(
      `${limitedAt ?? max} failed logins in a row for one account were not rate limited (expected 429 within ${within}).`,
      evidence,
      'API2:2023',
    );
  return passed(evidence, 'API2:2023');
}
