import { useEffect, useState } from 'preact/hooks';
import { api, type ReviewerSessionView } from './api';

/** The reviewer session (`GET /v1/reviewer-session`): who is signed in and the CSRF token for sign-in and sign-out. */
export function useReviewerSession(): {
  session: ReviewerSessionView | null;
  refresh: (s?: ReviewerSessionView) => void;
} {
  const [session, setSession] = useState<ReviewerSessionView | null>(null);
  const refresh = (s?: ReviewerSessionView): void => {
    if (s) setSession(s);
    else void api<ReviewerSessionView>('/v1/reviewer-session').then(setSession, () => setSession(null));
  };
  useEffect(() => refresh(), []);
  return { session, refresh };
}
