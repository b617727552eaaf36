import crypto, { type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { GradeReport, ReportSignature } from '../contract/grade-result.schema';

/**
 * The id of an Ed25519 public key: `SHA256:` + base64url (no padding) of the SHA-256 of its SPKI DER
 * encoding (RFC 8410 §4), like an OpenSSH fingerprint. Stable across PEM/JWK re-encodings of the key.
 */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `SHA256:${crypto.createHash('sha256').update(der).digest('base64url')}`;
}

/**
 * The report as it is signed and stored: its JSON data model (`undefined` members dropped, as JSON and
 * MongoDB's BSON would otherwise turn them into absent or null members after a round trip) without
 * `signature`.
 */
export function unsignedReport(report: GradeReport): GradeReport {
  const { signature: _signature, ...rest } = report;
  return JSON.parse(JSON.stringify(rest)) as GradeReport;
}

/**
 * The bytes a report's signature covers: the UTF-8 of the RFC 8785 (JSON Canonicalization Scheme) form of
 * {@link unsignedReport}. Throws when the report holds a value JCS refuses (NaN, Infinity).
 */
export function signedBytes(report: GradeReport): Buffer {
  const text = canonicalize(unsignedReport(report));
  if (text === undefined) throw new Error('the report has no JSON form');
  return Buffer.from(text, 'utf8');
}

/**
 * Signs a report with an Ed25519 private key (RFC 8032, pure Ed25519 via node:crypto): returns its
 * {@link unsignedReport} form with a `signature` member. Throws when the key is not an Ed25519 private key.
 */
export function signReport(report: GradeReport, privateKey: KeyObject): GradeReport {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error('report signing needs an Ed25519 private key');
  const body = unsignedReport(report);
  const signature: ReportSignature = {
    algorithm: 'Ed25519',
    canonicalization: 'RFC8785',
    key_id: keyIdOf(crypto.createPublicKey(privateKey)),
    value: crypto.sign(null, signedBytes(body), privateKey).toString('base64url'),
  };
  return { ...body, signature };
}

/** Result of {@link verifyReport}. */
export type SignatureCheck =
  | { ok: true; keyId: string }
  | { ok: false; problem: 'unsigned' | 'unknown_key' | 'bad_signature'; detail: string };

/**
 * Checks a report's signature against trusted Ed25519 public keys: the key is chosen by the signature's
 * `key_id` among `publicKeys`. Fails with `unsigned` (no or malformed `signature`), `unknown_key` (no
 * trusted key has that id) or `bad_signature` (the report, or its signature, was changed after signing).
 */
export function verifyReport(report: GradeReport, publicKeys: readonly KeyObject[]): SignatureCheck {
  const sig = report.signature;
  if (!sig || sig.algorithm !== 'Ed25519' || sig.canonicalization !== 'RFC8785' || !sig.value)
    return { ok: false, problem: 'unsigned', detail: 'the report carries no Ed25519/RFC8785 signature' };
  const key = publicKeys.find((k) => keyIdOf(k) === sig.key_id);
  if (!key)
    return {
      ok: false,
      problem: 'unknown_key',
      detail: `signed by key ${sig.key_id}, which is not among the trusted keys (${publicKeys.map(keyIdOf).join(', ') || 'none'})`,
    };
  let bytes: Buffer;
  try {
    bytes = signedBytes(report);
  } catch (err) {
    return { ok: false, problem: 'bad_signature', detail: String(err) };
  }
  const good = crypto.verify(null, bytes, key, Buffer.from(sig.value, 'base64url'));
  return good
    ? { ok: true, keyId: sig.key_id }
    : {
        ok: false,
        problem: 'bad_signature',
        detail: 'the signature does not match the report: it was changed after signing',
      };
}
