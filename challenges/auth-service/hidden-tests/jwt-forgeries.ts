/**
 * Forged access tokens for the JWT checks, built from a valid token the service issued and the pod's
 * JWT_SECRET (RFC 8725, JSON Web Token Best Current Practices; OWASP JSON Web Token Cheat Sheet).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { decodeJwt, forgeJwts, signHs256, type ForgedToken } from '../../../grader';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

function sign(
  alg: 'sha256' | 'sha384' | 'sha512',
  header: object,
  payload: object,
  key: string | Buffer,
): string {
  const h = b64(header);
  const p = b64(payload);
  return `${h}.${p}.${createHmac(alg, key).update(`${h}.${p}`).digest('base64url')}`;
}

/** `alg: none` in four spellings, with and without the trailing dot (RFC 8725 §2.1). */
export function algNone(valid: string): ForgedToken[] {
  return forgeJwts(valid).filter((f) => f.label.startsWith('alg '));
}

/** A changed or stripped signature, claims changed under the original signature, a foreign key. */
export function badSignatures(valid: string): ForgedToken[] {
  const { header, payload } = decodeJwt(valid);
  const [h, , s] = valid.split('.') as [string, string, string];
  return [
    ...forgeJwts(valid).filter((f) => !f.label.startsWith('alg ')),
    {
      label: 'role admin with the original signature',
      token: `${h}.${b64({ ...payload, role: 'admin' })}.${s}`,
    },
    {
      label: 'signed with another key',
      token: signHs256(payload, randomBytes(32).toString('base64url'), header),
    },
  ];
}

/**
 * Algorithms other than HS256 under the right key (HS384, HS512), an RS256 header over an HMAC signature
 * (key confusion), and `kid` values that point a naive key lookup at a file or an SQL expression.
 */
export function otherAlgorithms(valid: string, secret: string): ForgedToken[] {
  const { header, payload } = decodeJwt(valid);
  return [
    {
      label: 'HS384 under the right key',
      token: sign('sha384', { ...header, alg: 'HS384' }, payload, secret),
    },
    {
      label: 'HS512 under the right key',
      token: sign('sha512', { ...header, alg: 'HS512' }, payload, secret),
    },
    {
      label: 'RS256 header, HMAC signature',
      token: sign('sha256', { ...header, alg: 'RS256' }, payload, secret),
    },
    {
      label: 'kid ../../../../../../dev/null, empty key',
      token: sign('sha256', { ...header, kid: '../../../../../../dev/null' }, payload, ''),
    },
    {
      label: "kid x' UNION SELECT 'k' --, key k",
      token: sign('sha256', { ...header, kid: "x' UNION SELECT 'k' --" }, payload, 'k'),
    },
  ];
}

/** Correctly signed tokens that expired, are not valid yet, or carry no `exp` (RFC 7519 §4.1.4, §4.1.5). */
export function badTimes(valid: string, secret: string): ForgedToken[] {
  const { header, payload } = decodeJwt(valid);
  const now = Math.floor(Date.now() / 1000);
  const withoutExp: Record<string, unknown> = { ...payload };
  delete withoutExp.exp;
  return [
    ...forgeJwts(valid, { secret }).filter(
      (f) => f.label === 'expired' || f.label.startsWith('not yet valid'),
    ),
    {
      label: 'expired a minute ago',
      token: signHs256({ ...payload, iat: now - 960, exp: now - 60 }, secret, header),
    },
    { label: 'no exp', token: signHs256(withoutExp, secret, header) },
  ];
}
