import { useEffect, useState } from 'preact/hooks';
import { Markdown } from '../components/markdown';
import { UploadForm } from '../components/upload-form';
import { api, ApiError, type ChallengeDetail } from '../lib/api';
import { runtimeLabel } from '../lib/runtimes';

/** Loads a challenge's detail (statement and checks); `error` holds the API's message. */
export function useChallenge(id: string | null): { challenge: ChallengeDetail | null; error: string | null } {
  const [challenge, setChallenge] = useState<ChallengeDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return;
    setChallenge(null);
    api<ChallengeDetail>(`/v1/challenges/${encodeURIComponent(id)}`).then(setChallenge, (e: unknown) =>
      setError(e instanceof ApiError ? e.message : 'Could not load the challenge.'),
    );
  }, [id]);
  return { challenge, error };
}

/**
 * What a candidate works from: the statement, the starter download and the upload (`uploadHeaders` go with
 * the upload; `headingLevel` 2 when the page has its own h1). With `onPractice`, and where the API says a
 * practice run is allowed (practice checks, open submissions), the upload also offers a practice run.
 */
export function ChallengeBody({
  challenge,
  onSubmitted,
  onPractice,
  uploadHeaders,
  headingLevel = 1,
}: {
  challenge: ChallengeDetail;
  onSubmitted: (submissionId: string) => void;
  onPractice?: (submissionId: string) => void;
  uploadHeaders?: Record<string, string>;
  headingLevel?: 1 | 2;
}) {
  const Title = headingLevel === 1 ? 'h1' : 'h2';
  const Sub = headingLevel === 1 ? 'h2' : 'h3';
  return (
    <>
      <Title>{challenge.title}</Title>
      <p class="lead">{challenge.summary}</p>
      <p>
        {challenge.starters && challenge.starters.length > 1 ? (
          challenge.starters.map((s) => (
            <a key={s.runtime} class="button" href={s.href} download>
              Download the {runtimeLabel(s.runtime)} starter (tar.gz)
            </a>
          ))
        ) : (
          <a class="button" href={challenge.links.starter} download>
            Download the starter (tar.gz)
          </a>
        )}
      </p>
      <section aria-labelledby="statement-heading">
        <Sub id="statement-heading">Statement</Sub>
        <Markdown source={challenge.statement} />
      </section>
      <section aria-labelledby="submit-heading">
        <Sub id="submit-heading">Submit your solution</Sub>
        <UploadForm
          challengeId={challenge.id}
          onSubmitted={onSubmitted}
          {...(onPractice && challenge.practice_allowed ? { onPractice } : {})}
          runtimes={challenge.runtimes}
          {...(uploadHeaders ? { headers: uploadHeaders } : {})}
        />
      </section>
    </>
  );
}

/**
 * A challenge's page: statement, starter, upload (and a practice run where allowed); a submission, graded or
 * practice, opens its progress and report page.
 */
export function ChallengePage({
  id,
  onSubmitted,
}: {
  id: string;
  onSubmitted: (submissionId: string) => void;
}) {
  const { challenge, error } = useChallenge(id);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!challenge) return <p>Loading…</p>;
  return <ChallengeBody challenge={challenge} onSubmitted={onSubmitted} onPractice={onSubmitted} />;
}
