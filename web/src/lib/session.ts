import { useEffect, useState } from 'preact/hooks';
import { api, type SessionView } from './api';

/** The reviewer session (`GET /v1/session`): who is signed in and the CSRF token for sign-in and sign-out. */
export function useSession(): { session: SessionView | null; refresh: (s?: SessionView) => void } {
  const [session, setSession] = useState<SessionView | null>(null);
  const refresh = (s?: SessionView): void => {
    if (s) setSession(s);
    else void api<SessionView>('/v1/session').then(setSession, () => setSession(null));
  };
  useEffect(() => refresh(), []);
  return { session, refresh };
}
