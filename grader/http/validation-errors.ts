import { failed, passed, type Verdict } from '../verdict';
import type { HttpClient, HttpRequest } from './client';
import { problemDefect } from './problem-json';

/** One invalid input: a label for messages, the request, and the field the error should name. */
export interface ValidationCase {
  label: string;
  request: HttpRequest;
  /** Field the error body must mention (name or JSON pointer), when the challenge requires it. */
  field?: string;
}

/** Options of {@link validationErrors}. */
export interface ValidationOptions {
  /** Accepted statuses (default 400 and 422 unless the statement fixes one: docs/grading.md API-05). */
  statuses?: readonly number[];
  /** Also require RFC 9457 problem+json bodies (default false). */
  problemJson?: boolean;
  /** Side-effect counter (e.g. a `SELECT count(*)` as superuser): must not change across the cases. */
  count?: () => Promise<number>;
}

/**
 * Sends each invalid request and passes when every one is refused with an accepted status (never 2xx or 5xx),
 * with a problem+json body when asked, naming the field when a case names one, and when `count` is unchanged
 * afterwards (no row was created by an invalid request).
 */
export async function validationErrors(
  client: HttpClient,
  cases: readonly ValidationCase[],
  opts: ValidationOptions = {},
): Promise<Verdict> {
  const statuses = opts.statuses ?? [400, 422];
  const before = opts.count ? await opts.count() : 0;
  const wrong: string[] = [];
  const seen: { label: string; status: number; defect: string | null }[] = [];
  for (const c of cases) {
    const r = await client.request(c.request);
    let defect: string | null = null;
    if (!statuses.includes(r.status)) defect = `status ${r.status}`;
    else if (opts.problemJson) defect = problemDefect(r);
    if (!defect && c.field && !r.text.includes(c.field)) defect = `the error does not name "${c.field}"`;
    seen.push({ label: c.label, status: r.status, defect });
    if (defect) wrong.push(`${c.label} → ${defect}`);
  }
  const after = opts.count ? await opts.count() : 0;
  const evidence = { cases: seen, ...(opts.count ? { count_before: before, count_after: after } : {}) };
  if (wrong.length)
    return failed(
      `Invalid input must be refused with ${statuses.join(' or ')}${opts.problemJson ? ' problem+json' : ''}: ${wrong.join('; ')}.`,
      evidence,
    );
  if (after !== before) return failed('An invalid request changed the stored data.', evidence);
  return passed(evidence);
}
