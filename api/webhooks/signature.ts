import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of a webhook signing secret (Standard Webhooks specification, "Signature scheme"). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` + base64 of 24 random bytes (the specification asks for 24 to 64 bytes). */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

/** The key bytes of a `whsec_<base64>` secret. */
function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  return Buffer.from(b64, 'base64');
}

/**
 * One signature of the Standard Webhooks scheme: `v1,` + base64 HMAC-SHA256 over `<id>.<timestamp>.<body>`
 * with the secret's key bytes.
 *
 * @param timestamp - Unix time, seconds (the `webhook-timestamp` header).
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${id}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * The `webhook-signature` header value: one `v1,` signature per active secret, space-separated, so a
 * receiver holding either the new or the previous secret verifies during a rotation.
 */
export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  return secrets.map((s) => signWebhook(s, id, timestamp, body)).join(' ');
}

/** True when any `v1,` signature of `header` matches `secret` (constant-time comparison). */
export function verifySignatureHeader(
  secret: string,
  header: string,
  id: string,
  timestamp: number,
  body: string,
): boolean {
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body));
  return header.split(' ').some((sig) => {
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
