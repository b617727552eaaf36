import { failed, passed, type Verdict } from '../verdict';
import type { HttpResponse } from './client';

/**
 * Passes when `res.status` is one of `allowed`. Accept sets where practice differs (400/422, 403/404,
 * 200/204) unless the challenge statement fixes one (docs/grading.md, "Checks").
 */
export function statusIn(res: HttpResponse, allowed: readonly number[], label: string): Verdict {
  const evidence = { label, status: res.status, allowed: [...allowed] };
  return allowed.includes(res.status)
    ? passed(evidence)
    : failed(`${label} answered ${res.status}, expected ${allowed.join(' or ')}.`, evidence);
}
