/**
 * The candidate's assessment session token (`sgs_…`, from `POST /v1/invites/:token/start`), kept in this
 * browser's localStorage so a reload, another tab or a closed tab does not lose a running assessment (the
 * invite is single-use). It is sent as `Authorization: Bearer`, never as a cookie, so a cross-site request
 * cannot carry it; the page's CSP (no inline or foreign script) guards it from script injection. It is
 * removed once the assessment has ended.
 */
const KEY = 'sg_candidate_session';

/** The stored session token, or null. */
export function candidateToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Stores the session token of a started assessment. */
export function storeCandidateToken(token: string): void {
  try {
    localStorage.setItem(KEY, token);
  } catch {
    // Storage refused (private mode quota): the page keeps working until it is reloaded.
  }
}

/** Forgets the session token (the assessment ended, or the server no longer knows it). */
export function clearCandidateToken(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}

/** Request headers that authenticate as the candidate, or none without a token. */
export function candidateHeaders(token: string | null = candidateToken()): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}
