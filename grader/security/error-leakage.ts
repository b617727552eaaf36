import type { HttpResponse } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';

/**
 * Structural patterns of text that must never reach a client (docs/grading.md S-24; OWASP API8:2023
 * Security Misconfiguration): V8 stack frames, module paths, PostgreSQL, node-postgres, MongoDB and ORM
 * error messages. Structural only: the phrase "stack trace" in prose does not match (ZAP 90022's pitfall).
 */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /^\s+at .+\(.+:\d+:\d+\)$/m,
  /\bat (?:async )?\S+ \(\/\S+\.[cm]?[jt]s:\d+/,
  /node_modules/,
  /syntax error at or near/i,
  /invalid input syntax for/i,
  /out of range for type/i,
  /violates (?:check|foreign key|unique|not-null) constraint/i,
  /duplicate key value violates/i,
  /relation "[^"]+" does not exist/i,
  /column "[^"]+" does not exist/i,
  /\bSELECT\b[\s\S]{0,200}\bFROM\b/,
  /\bE11000\b|MongoServerError|CastError|BSONError/,
  /PrismaClient\w*Error|QueryFailedError|Sequelize\w*Error/,
  /ECONNREFUSED|\bDatabaseError\b/,
];

/** Why a response leaks internals (5xx, or a body matching {@link LEAK_PATTERNS}), or null. */
export function leakOf(r: HttpResponse, patterns: readonly RegExp[] = LEAK_PATTERNS): string | null {
  if (r.status >= 500) return `status ${r.status}`;
  const hit = patterns.find((p) => p.test(r.text));
  return hit ? `body matches ${String(hit)}` : null;
}

/** The first items of a list for a message (a check message is at most 4,000 characters), and how many more. */
export function listed(items: readonly string[], max = 8): string {
  const shown = items.slice(0, max).map((s) => (s.length > 200 ? `${s.slice(0, 200)}…` : s));
  return `${shown.join('; ')}${items.length > max ? ` (and ${items.length - max} more)` : ''}`;
}

/**
 * Sends each bad-input probe and passes (`patterns` default {@link LEAK_PATTERNS}; add the pod's source path) when none answers 5xx or leaks a stack trace, SQL or driver message
 * (docs/grading.md S-24, OWASP API8:2023).
 */
export async function errorLeakage(
  probes: readonly [label: string, send: () => Promise<HttpResponse>][],
  patterns: readonly RegExp[] = LEAK_PATTERNS,
): Promise<Verdict> {
  const wrong: string[] = [];
  const seen: { label: string; status: number; leak: string | null }[] = [];
  for (const [label, send] of probes) {
    const r = await send();
    const why = leakOf(r, patterns);
    seen.push({ label, status: r.status, leak: why });
    if (why) wrong.push(`${label}: ${why}`);
  }
  // Evidence stays small with generated probes (hundreds): the count per status and the failing probes.
  const statuses: Record<string, number> = {};
  for (const p of seen) statuses[p.status] = (statuses[p.status] ?? 0) + 1;
  const evidence = { probes: seen.length, statuses, failed: seen.filter((p) => p.leak).slice(0, 20) };
  return wrong.length
    ? failed(
        `Bad input must get a 4xx without stack traces, SQL or driver messages: ${listed(wrong)}.`,
        evidence,
        'API8:2023',
      )
    : passed(evidence, 'API8:2023');
}
