import { useEffect, useState } from 'preact/hooks';
import { formatDuration } from '../lib/format-duration';
import { api, ApiError, type CandidateSessionView, type InvitePreview } from '../lib/api';
import { candidateToken, storeCandidateToken } from '../lib/candidate-session';
import { navigate, onLinkClick } from '../lib/router';

const when = (iso: string): string => `${new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC`;

/**
 * An assessment's landing page, opened from the invite link (`/app/invites/<token>`): what the assessment
 * is, its rules (challenges, time limit, attempts, window) and a Start button. Starting uses the invite
 * (`POST /v1/invites/:token/start`, its one use), starts the timer and opens the assessment page.
 */
export function InvitePage({ token }: { token: string }) {
  const [preview, setPreview] = useState<InvitePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<InvitePreview>(`/v1/invites/${encodeURIComponent(token)}`).then(setPreview, (e: unknown) =>
      setError(e instanceof ApiError ? e.message : 'Could not load the invite.'),
    );
  }, [token]);

  const start = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const s = await api<CandidateSessionView & { session_token: string }>(
        `/v1/invites/${encodeURIComponent(token)}/start`,
        { method: 'POST' },
      );
      storeCandidateToken(s.session_token);
      navigate('/app/assessment');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The assessment could not be started.');
      setBusy(false);
    }
  };

  if (!preview)
    return error ? (
      <>
        <h1>Invite</h1>
        <p role="alert" class="error">
          {error}
        </p>
      </>
    ) : (
      <p>Loading…</p>
    );
  const a = preview.assessment;
  return (
    <>
      <h1>{a.title}</h1>
      <p class="lead">
        {a.organisation} invites {preview.candidate.name ?? preview.candidate.email} to this assessment.
      </p>
      <section aria-labelledby="rules-heading">
        <h2 id="rules-heading">Rules</h2>
        <ul data-testid="rules">
          <li>
            {a.challenge_ids.length === 1 ? 'One challenge' : `${a.challenge_ids.length} challenges`}:{' '}
            {a.challenge_ids.join(', ')}.
          </li>
          <li>
            Time limit: <strong data-testid="time-limit">{formatDuration(a.time_limit_ms)}</strong> from the
            moment you press Start; the timer does not stop when you close the page.
          </li>
          <li>Up to {a.max_attempts} submissions per challenge; each one is graded.</li>
          {a.opens_at && <li>Opens {when(a.opens_at)}.</li>}
          {a.closes_at && <li>Closes {when(a.closes_at)}; no submission is accepted after that.</li>}
          <li>This invite can be used once and expires {when(preview.expires_at)}.</li>
        </ul>
      </section>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {preview.status === 'pending' && (
        <button type="button" disabled={busy} onClick={() => void start()}>
          {busy ? 'Starting…' : 'Start the assessment'}
        </button>
      )}
      {preview.status === 'started' &&
        (candidateToken() ? (
          <p>
            <a href="/app/assessment" onClick={onLinkClick}>
              Continue the assessment
            </a>
          </p>
        ) : (
          <p>This invite has already been used to start the assessment.</p>
        ))}
      {preview.status === 'completed' && <p>This assessment is finished.</p>}
      {preview.status === 'expired' && <p>This invite has expired; ask the organisation for a new one.</p>}
    </>
  );
}
