import type { HttpClient } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';
import { forgeJwts } from './jwt-forge';

/** Options of {@link jwtTampering}. */
export interface JwtTamperingOptions {
  /** A protected route (GET unless `method` says otherwise). */
  path: string;
  method?: string;
  /** A valid token the service issued (or the grader minted with the injected secret). */
  validToken: string;
  /** The service's signing secret when the grader injected it (enables the expired and nbf forgeries). */
  secret?: string;
}

/**
 * JWT tampering (OWASP API2:2023 Broken Authentication; docs/grading.md S-10..S-12): the valid token must be
 * accepted (2xx, else the probe cannot tell), and every forgery of {@link forgeJwts} must answer 401.
 */
export async function jwtTampering(client: HttpClient, o: JwtTamperingOptions): Promise<Verdict> {
  const send = (t: string) =>
    client.request({ method: o.method ?? 'GET', path: o.path, headers: { authorization: `Bearer ${t}` } });
  const base = await send(o.validToken);
  const results: { label: string; status: number }[] = [];
  for (const f of forgeJwts(o.validToken, { secret: o.secret }))
    results.push({ label: f.label, status: (await send(f.token)).status });
  const evidence = { valid_token_status: base.status, forgeries: results };
  if (base.status < 200 || base.status >= 300)
    return failed(
      `The valid token was refused (${base.status}), so tampering cannot be judged.`,
      evidence,
      'API2:2023',
    );
  const wrong = results.filter((r) => r.status !== 401);
  return wrong.length
    ? failed(
        `Tampered tokens must be refused with 401: ${wrong.map((w) => `${w.label} → ${w.status}`).join('; ')}.`,
        evidence,
        'API2:2023',
      )
    : passed(evidence, 'API2:2023');
}
