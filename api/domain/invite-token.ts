import { createHash, randomBytes } from 'node:crypto';
import type { InviteStore } from '../data-access/invite-store';
import type { CandidatePrincipal } from './verify-api-key';

/** Prefix of an invite token (`sgi_<secret>`): what the invite link carries; starts the assessment once. */
export const INVITE_TOKEN_PREFIX = 'sgi_';

/** Prefix of a session token (`sgs_<secret>`): the candidate's bearer token once the assessment started. */
export const SESSION_TOKEN_PREFIX = 'sgs_';

/** 43 base64url characters: 256 random bits (OWASP ASVS 4.0 §2.9.1 asks for ≥ 112 bits of entropy). */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new token and the only form the store keeps of it. */
export interface GeneratedToken {
  token: string;
  /** SHA-256 of the whole token, hex. A fast hash suffices for 256-bit random secrets (OWASP Password Storage Cheat Sheet). */
  sha256: string;
}

/** A fresh `<prefix><43 base64url>` token from the operating system's CSPRNG. */
export function generateToken(prefix: string): GeneratedToken {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, sha256: tokenSha256(token) };
}

/** SHA-256 of a token, lower-case hex. */
export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when `token` is `<prefix>` followed by 43 base64url characters. */
export function isWellFormedToken(token: string, prefix: string): boolean {
  return token.startsWith(prefix) && SECRET_PATTERN.test(token.slice(prefix.length));
}

/**
 * Verifies a candidate's session token: well-formed, and the hash of a started invite that has not expired unused. The lookup is by hash, so no secret is compared in memory. Null for any failure.
 *
 * @throws AppError `STORE_UNAVAILABLE` (503) from the store.
 */
export async function verifySessionToken(
  invites: InviteStore,
  token: string,
): Promise<CandidatePrincipal | null> {
  if (!isWellFormedToken(token, SESSION_TOKEN_PREFIX)) return null;
  const invite = await invites.findBySessionHash(tokenSha256(token));
  if (!invite || invite.status === 'expired') return null;
  // A finished or timed-out session still reads its own state and reports; limits are checked per action.
  return {
    kind: 'candidate',
    inviteId: invite._id,
    assessmentId: invite.assessment_id,
    organisation: invite.organisation,
  };
}
