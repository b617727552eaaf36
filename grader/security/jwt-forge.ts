import { createHmac } from 'node:crypto';

const b64url = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

/** Splits a compact JWS; throws when `token` is not three base64url segments. */
export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
} {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS (three segments)');
  const dec = (s: string): Record<string, unknown> =>
    JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: dec(parts[0]!), payload: dec(parts[1]!), signature: parts[2]! };
}

/** Signs `payload` with HS256 (RFC 7518 §3.2) under `secret`. */
export function signHs256(
  payload: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = {},
): string {
  const h = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', ...header }));
  const p = b64url(JSON.stringify(payload));
  return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
}

/** One forged token: what was changed, and the token. */
export interface ForgedToken {
  label: string;
  token: string;
}

/**
 * Forgeries of a valid token (docs/grading.md S-10..S-12; jwt_tool modes): `alg` none in four spellings
 * with an empty signature and without the trailing dot, a flipped signature character, the signature
 * stripped, the subject changed keeping the signature, and, when the secret is known (the grader injects
 * it), a correctly signed token that expired an hour ago and one not valid for another hour (`nbf`).
 */
export function forgeJwts(
  valid: string,
  opts: { secret?: string; otherSubject?: string } = {},
): ForgedToken[] {
  const { header, payload, signature } = decodeJwt(valid);
  const [h, p] = valid.split('.') as [string, string, string];
  const out: ForgedToken[] = [];
  for (const alg of ['none', 'None', 'NONE', 'nOnE'])
    out.push({ label: `alg ${alg}`, token: `${b64url(JSON.stringify({ ...header, alg }))}.${p}.` });
  out.push({
    label: 'alg none without the trailing dot',
    token: `${b64url(JSON.stringify({ ...header, alg: 'none' }))}.${p}`,
  });
  const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.slice(-1);
  out.push({ label: 'a changed signature', token: `${h}.${p}.${flipped}` });
  out.push({ label: 'the signature stripped', token: `${h}.${p}.` });
  const sub = opts.otherSubject ?? `${String(payload.sub ?? '')}0`;
  out.push({
    label: 'another subject with the original signature',
    token: `${h}.${b64url(JSON.stringify({ ...payload, sub }))}.${signature}`,
  });
  if (opts.secret) {
    const now = Math.floor(Date.now() / 1000);
    out.push({
      label: 'expired',
      token: signHs256({ ...payload, iat: now - 7200, exp: now - 3600 }, opts.secret, header),
    });
    out.push({
      label: 'not yet valid (nbf)',
      token: signHs256({ ...payload, iat: now, nbf: now + 3600, exp: now + 7200 }, opts.secret, header),
    });
  }
  return out;
}
