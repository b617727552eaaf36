import { useEffect, useState } from 'preact/hooks';
import { CountdownTimer } from '../components/countdown-timer';
import { api, ApiError, type CandidateSessionView } from '../lib/api';
import { candidateHeaders, candidateToken, clearCandidateToken } from '../lib/candidate-session';
import { navigate, onLinkClick } from '../lib/router';
import { ChallengeBody, useChallenge } from './challenge-page';
import { SubmissionFollow } from './submission-page';

/** The candidate's session (`GET /v1/session` with the stored session token); `reload` reads it again. */
export function useCandidateSession(): {
  session: CandidateSessionView | null;
  error: string | null;
  reload: () => void;
} {
  const [session, setSession] = useState<CandidateSessionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = (): void => {
    if (!candidateToken()) {
      setError('This tab has no assessment session: open the invite link you were sent and start there.');
      return;
    }
    api<CandidateSessionView>('/v1/session', { headers: candidateHeaders() }).then(
      (s) => {
        // An ended assessment takes no more submissions: the token has nothing left to do here.
        if (s.status === 'completed' || s.status === 'expired') clearCandidateToken();
        setSession(s);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) clearCandidateToken();
        setError(e instanceof ApiError ? e.message : 'Could not load the assessment.');
      },
    );
  };
  useEffect(reload, []);
  return { session, error, reload };
}

const FEEDBACK_TEXT: Record<CandidateSessionView['feedback'], string> = {
  none: 'You will not see results here; the organisation reviews them.',
  scores: 'After each grading you see your scores.',
  checks: 'After each grading you see your scores and which checks passed or failed.',
};

/** One challenge of the assessment: attempts left, statement, starter and the upload as the candidate. */
function AssessmentChallenge({
  item,
  open,
}: {
  item: CandidateSessionView['challenges'][number];
  open: boolean;
}) {
  const { challenge, error } = useChallenge(item.id);
  const left = item.attempts_allowed - item.attempts_used;
  return (
    <section class="card" aria-labelledby={`challenge-${item.id}`}>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!challenge && !error && <p id={`challenge-${item.id}`}>Loading {item.id}…</p>}
      {challenge && (
        <>
          <p class="muted" id={`challenge-${item.id}`} data-testid="attempts">
            {item.id}: {item.attempts_used} of {item.attempts_allowed} submissions used
          </p>
          {open && left > 0 ? (
            <ChallengeBody
              challenge={challenge}
              headingLevel={2}
              uploadHeaders={candidateHeaders()}
              onSubmitted={(id) => navigate(`/app/assessment/submissions/${encodeURIComponent(id)}`)}
              // A practice run is not the assessment's: its report is the open submission page.
              onPractice={(id) => navigate(`/app/submissions/${encodeURIComponent(id)}`)}
            />
          ) : (
            <h2>{challenge.title}</h2>
          )}
        </>
      )}
    </section>
  );
}

/**
 * The assessment in progress: the timer (time left to the deadline), the feedback the candidate will see,
 * each challenge with its statement, starter and upload (`POST /v1/submissions` with the session token,
 * within the attempts and the deadline), the submissions so far, and Finish (`POST /v1/session/finish`).
 */
export function AssessmentPage() {
  const { session, error, reload } = useCandidateSession();
  const [finishError, setFinishError] = useState<string | null>(null);
  const finish = async (): Promise<void> => {
    try {
      await api('/v1/session/finish', { method: 'POST', headers: candidateHeaders() });
      reload();
    } catch (e) {
      setFinishError(e instanceof ApiError ? e.message : 'The assessment could not be finished.');
    }
  };
  if (error)
    return (
      <>
        <h1>Assessment</h1>
        <p role="alert" class="error">
          {error}
        </p>
      </>
    );
  if (!session) return <p>Loading…</p>;
  const open =
    session.status === 'started' && (!session.deadline || Date.parse(session.deadline) > Date.now());
  return (
    <>
      <h1>{session.title}</h1>
      {session.status === 'started' && session.deadline && (
        <CountdownTimer deadline={session.deadline} onExpired={reload} />
      )}
      {session.status === 'completed' && (
        <p data-testid="assessment-finished">
          This assessment is finished; no more submissions are accepted.
        </p>
      )}
      <p>{FEEDBACK_TEXT[session.feedback]}</p>
      {session.submissions.length > 0 && (
        <section aria-labelledby="subs-heading">
          <h2 id="subs-heading">Your submissions</h2>
          <ul>
            {session.submissions.map((s) => (
              <li key={s.id}>
                <a href={`/app/assessment/submissions/${encodeURIComponent(s.id)}`} onClick={onLinkClick}>
                  {s.challenge_id} · {s.id.slice(0, 8)}
                </a>{' '}
                ({s.status})
              </li>
            ))}
          </ul>
        </section>
      )}
      {session.challenges.map((c) => (
        <AssessmentChallenge key={c.id} item={c} open={open} />
      ))}
      {session.status === 'started' && (
        <section aria-labelledby="finish-heading">
          <h2 id="finish-heading">Finish</h2>
          <p>Finishing ends the assessment for you now; your last graded submissions count.</p>
          {finishError && (
            <p role="alert" class="error">
              {finishError}
            </p>
          )}
          <button type="button" onClick={() => void finish()}>
            Finish the assessment
          </button>
        </section>
      )}
    </>
  );
}

/** One submission of the assessment: its progress and the report at the assessment's feedback tier. */
export function AssessmentSubmissionPage({ id }: { id: string }) {
  return (
    <>
      <h1>Your submission</h1>
      <p>
        <a href="/app/assessment" onClick={onLinkClick}>
          Back to the assessment
        </a>
      </p>
      <SubmissionFollow id={id} />
    </>
  );
}
