import { failed, passed, type Verdict } from '../verdict';
import type { HttpClient } from './client';

/** One probe of {@link methodNotAllowed}: a method the path does not support, and methods `Allow` must list. */
export interface MethodProbe {
  method: string;
  path: string;
  /** Methods the `Allow` header must contain (case-insensitive), e.g. `['GET']`. */
  allow: readonly string[];
}

/**
 * Passes when each unsupported method on a known path answers 405 with an `Allow` header listing the
 * supported methods (RFC 9110 §15.5.6 makes `Allow` mandatory on 405; docs/grading.md API-08).
 */
export async function methodNotAllowed(
  client: HttpClient,
  probes: readonly MethodProbe[],
  headers: Record<string, string> = {},
): Promise<Verdict> {
  const wrong: string[] = [];
  const seen: { probe: string; status: number; allow: string | null }[] = [];
  for (const p of probes) {
    const r = await client.request({ method: p.method, path: p.path, headers });
    const allow = (r.headers.allow ?? '')
      .split(',')
      .map((m) => m.trim().toUpperCase())
      .filter(Boolean);
    seen.push({ probe: `${p.method} ${p.path}`, status: r.status, allow: r.headers.allow ?? null });
    if (r.status !== 405 || !p.allow.every((m) => allow.includes(m.toUpperCase())))
      wrong.push(
        `${p.method} ${p.path} → ${r.status}${r.headers.allow ? ` (Allow: ${r.headers.allow})` : ''}`,
      );
  }
  return wrong.length === 0
    ? passed({ probes: seen })
    : failed(
        `A known path with an unsupported method must answer 405 with an Allow header: ${wrong.join('; ')}.`,
        { probes: seen },
      );
}
