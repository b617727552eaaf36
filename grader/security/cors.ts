import type { HttpClient } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';

/** Origins a permissive CORS policy reflects (nuclei `cors-misconfig` and ZAP 40040 payloads, abridged). */
export const HOSTILE_ORIGINS: readonly string[] = [
  'https://evil.example',
  'null',
  'https://evil.example.localhost',
];

/**
 * Permissive CORS with credentials (OWASP API8:2023; docs/grading.md S-26): for a simple GET and a
 * preflight (`OPTIONS` with `Access-Control-Request-Method: DELETE`) from each hostile origin, the response
 * must not both allow that origin (reflected, `null` or `*`) and send `Access-Control-Allow-Credentials: true`.
 * `*` without credentials is fine for bearer-token APIs.
 */
export async function permissiveCors(
  client: HttpClient,
  o: { path: string; headers?: Record<string, string> },
): Promise<Verdict> {
  const seen: {
    origin: string;
    kind: string;
    allow_origin: string | null;
    allow_credentials: string | null;
  }[] = [];
  for (const origin of HOSTILE_ORIGINS) {
    for (const kind of ['GET', 'preflight'] as const) {
      const r = await client.request({
        method: kind === 'GET' ? 'GET' : 'OPTIONS',
        path: o.path,
        headers: {
          ...o.headers,
          origin,
          ...(kind === 'preflight' ? { 'access-control-request-method': 'DELETE' } : {}),
        },
      });
      seen.push({
        origin,
        kind,
        allow_origin: r.headers['access-control-allow-origin'] ?? null,
        allow_credentials: r.headers['access-control-allow-credentials'] ?? null,
      });
    }
  }
  const bad = seen.find(
    (s) =>
      (s.allow_origin === s.origin || s.allow_origin === '*' || s.allow_origin === 'null') &&
      s.allow_credentials?.toLowerCase() === 'true',
  );
  return bad
    ? failed(
        `CORS allows origin ${bad.origin} with credentials (${bad.kind}): any website can make authenticated requests.`,
        { probes: seen },
        'API8:2023',
      )
    : passed({ probes: seen }, 'API8:2023');
}
