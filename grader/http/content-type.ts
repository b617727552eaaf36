import { failed, passed, type Verdict } from '../verdict';
import { mediaType, type HttpResponse } from './client';

/**
 * Passes when the response's media type (parameters ignored, case-insensitive: RFC 9110 §8.3.1) is one of
 * `types`, e.g. `['application/json', 'application/problem+json']` (docs/grading.md API-19).
 */
export function contentTypeIn(res: HttpResponse, types: readonly string[], label: string): Verdict {
  const got = mediaType(res.headers['content-type']);
  const evidence = { label, content_type: res.headers['content-type'] ?? null, allowed: [...types] };
  return got !== null && types.map((t) => t.toLowerCase()).includes(got)
    ? passed(evidence)
    : failed(
        `${label} answered with Content-Type ${got ?? '(none)'}, expected ${types.join(' or ')}.`,
        evidence,
      );
}
