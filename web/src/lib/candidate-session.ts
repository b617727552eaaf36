/**
 * The candidate's assessment session token (`sgs_…`, from `POST /v1/invites/:token/start`), kept in this
 * tab's sessionStorage: it is sent as `Authorization: Bearer` (never as a cookie, so a cross-site request
 * cannot carry it) and ends with the tab. The token is shown to the candidate once, on the page, so they can
 * resume in another tab.
 */
const KEY = 'sg_candidate_session';

/** The stored session token, or null. */
export function candidateToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Stores the session token of a started assessment. */
export function storeCandidateToken(token: string): void {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused (private mode quota): the page keeps working until it is reloaded.
  }
}

/** Request headers that authenticate as the candidate, or none without a token. */
export function candidateHeaders(token: string | null = candidateToken()): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}
