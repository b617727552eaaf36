import type { HttpResponse } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';

/**
 * Security headers of API responses (OWASP API8:2023; docs/grading.md S-25, OWASP REST Security Cheat
 * Sheet "Security Headers"): every response must carry `X-Content-Type-Options: nosniff` and no
 * `X-Powered-By`; with `authenticated`, `Cache-Control` must contain `no-store`. HSTS and browser-only headers
 * are not required on plain-HTTP APIs.
 */
export function securityHeaders(
  responses: readonly [label: string, res: HttpResponse][],
  opts: { authenticated?: boolean } = {},
): Verdict {
  const wrong: string[] = [];
  const seen = responses.map(([label, r]) => ({
    label,
    nosniff: r.headers['x-content-type-options'] ?? null,
    x_powered_by: r.headers['x-powered-by'] ?? null,
    cache_control: r.headers['cache-control'] ?? null,
  }));
  for (const s of seen) {
    if ((s.nosniff ?? '').toLowerCase() !== 'nosniff')
      wrong.push(`${s.label}: no X-Content-Type-Options: nosniff`);
    if (s.x_powered_by) wrong.push(`${s.label}: X-Powered-By: ${s.x_powered_by}`);
    if (opts.authenticated && !/\bno-store\b/i.test(s.cache_control ?? ''))
      wrong.push(`${s.label}: no Cache-Control: no-store`);
  }
  return wrong.length
    ? failed(
        `Missing or revealing security headers: ${wrong.slice(0, 5).join('; ')}.`,
        { responses: seen },
        'API8:2023',
      )
    : passed({ responses: seen }, 'API8:2023');
}
