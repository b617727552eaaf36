import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every Stackgrade API key token, so secret scanners and humans recognise one. */
export const API_KEY_PREFIX = 'sg';

/**
 * A key's public id: 16 lower-case hex digits (64 random bits), stored in clear and shown in listings;
 * the secret part never is.
 */
export const API_KEY_ID_PATTERN = /^[0-9a-f]{16}$/;

/** The secret part: 43 base64url characters, 256 random bits (OWASP ASVS 4.0 §2.9.1: ≥ 112 bits of entropy). */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A token split into its id and secret. */
export interface ApiKeyParts {
  /** Public key id (16 hex digits). */
  id: string;
  /** Secret (43 base64url characters); compare only through {@link secretMatches}. */
  secret: string;
}

/** A newly generated key: the whole `token` is shown to its holder once and never stored. */
export interface GeneratedApiKey extends ApiKeyParts {
  /** `sg_<id>_<secret>`: what a client sends as `Authorization: Bearer <token>` (RFC 6750 §2.1). */
  token: string;
  /** SHA-256 of the secret, hex: the only form the store keeps. */
  secretSha256: string;
}

/**
 * Generates a key from the operating system's CSPRNG. The secret has 256 bits of entropy, so a fast hash
 * (SHA-256) is enough to store it: password-stretching functions are for low-entropy secrets (OWASP Password
 * Storage Cheat Sheet; NIST SP 800-63B §5.1.1.2 concerns memorised secrets).
 */
export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `${API_KEY_PREFIX}_${id}_${secret}`, secretSha256: hashSecret(secret) };
}

/** Splits `sg_<id>_<secret>`; null for anything else (wrong prefix, lengths or alphabet). */
export function parseApiKeyToken(token: string): ApiKeyParts | null {
  const prefix = `${API_KEY_PREFIX}_`;
  if (!token.startsWith(prefix)) return null;
  const id = token.slice(prefix.length, prefix.length + 16);
  const rest = token.slice(prefix.length + 16);
  if (!API_KEY_ID_PATTERN.test(id) || !rest.startsWith('_')) return null;
  const secret = rest.slice(1);
  return SECRET_PATTERN.test(secret) ? { id, secret } : null;
}

/** SHA-256 of a secret, lower-case hex (64 characters). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** True when `secret` hashes to `storedSha256`; compares in constant time (no timing oracle on the hash). */
export function secretMatches(secret: string, storedSha256: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedSha256, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
