import { failed, passed, type Verdict } from '../verdict';
import { mediaType, type HttpResponse } from './client';

/**
 * Why a response is not an RFC 9457 problem document, or null: media type `application/problem+json`, a JSON
 * object whose `type` and `title` are strings (RFC 9457 §3.1 makes both optional, but a stable `type` is what
 * clients switch on) and whose `status`, when present, equals the HTTP status (§3.1.3).
 */
export function problemDefect(r: HttpResponse): string | null {
  if (mediaType(r.headers['content-type']) !== 'application/problem+json')
    return `Content-Type is ${r.headers['content-type'] ?? 'missing'}`;
  const b = r.json as Record<string, unknown> | undefined;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return 'the body is not a JSON object';
  if (typeof b.type !== 'string' || typeof b.title !== 'string')
    return 'the body lacks "type" or "title" strings';
  if (b.status !== r.status)
    return `"status" is ${JSON.stringify(b.status)} but the HTTP status is ${r.status}`;
  return null;
}

/**
 * Passes when `r` answered `status` (one of them, when an array) with an RFC 9457 problem+json body
 * (docs/grading.md API-10).
 */
export function problemJson(r: HttpResponse, status: number | readonly number[], label: string): Verdict {
  const allowed = typeof status === 'number' ? [status] : [...status];
  const evidence = {
    label,
    status: r.status,
    content_type: r.headers['content-type'] ?? null,
    body: r.text.slice(0, 300),
  };
  if (!allowed.includes(r.status))
    return failed(`${label} answered ${r.status}, expected ${allowed.join(' or ')}.`, evidence);
  const d = problemDefect(r);
  return d === null
    ? passed(evidence)
    : failed(`${label}: the error is not RFC 9457 problem+json (${d}).`, { ...evidence, defect: d });
}
