import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api';
import { postToHost } from '../lib/embed-messages';
import { ChallengeBody, useChallenge } from './challenge-page';
import { SubmissionFollow } from './submission-page';

interface EmbedGrant {
  challenge_id: string;
  parent_origin: string;
}

/**
 * The candidate flow inside a host page's iframe, configured by a signed embed token (`?token=`): the
 * token's challenge, upload, progress and report on one page. Posts `started`, `submitted` and `completed`
 * (with scores) to the token's host origin only (lib/embed-messages.ts).
 */
export function EmbedPage({ token }: { token: string }) {
  const [grant, setGrant] = useState<EmbedGrant | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submissionId, setSubmissionId] = useState<string | null>(null);
  useEffect(() => {
    api<EmbedGrant>(`/v1/embed-tokens/${encodeURIComponent(token)}`).then(
      (g) => {
        setGrant(g);
        postToHost({ source: 'stackgrade', type: 'started', challenge_id: g.challenge_id }, g.parent_origin);
      },
      (e: unknown) => setError(e instanceof ApiError ? e.message : 'The embed link is not valid.'),
    );
  }, [token]);
  const { challenge, error: challengeError } = useChallenge(grant?.challenge_id ?? null);
  const err = error ?? challengeError;
  if (err)
    return (
      <p role="alert" class="error">
        {err}
      </p>
    );
  if (!grant || !challenge) return <p>Loading…</p>;
  if (submissionId)
    return (
      <>
        <h1>{challenge.title}</h1>
        <SubmissionFollow
          id={submissionId}
          onDone={(s) =>
            postToHost(
              {
                source: 'stackgrade',
                type: 'completed',
                challenge_id: grant.challenge_id,
                submission_id: s.id,
                status: s.status === 'error' ? 'error' : 'completed',
                scores: s.report
                  ? {
                      overall: s.report.scores.overall,
                      categories: s.report.scores.categories as Record<string, number>,
                    }
                  : null,
              },
              grant.parent_origin,
            )
          }
        />
      </>
    );
  return (
    <ChallengeBody
      challenge={challenge}
      onSubmitted={(id) => {
        postToHost(
          { source: 'stackgrade', type: 'submitted', challenge_id: grant.challenge_id, submission_id: id },
          grant.parent_origin,
        );
        setSubmissionId(id);
      }}
    />
  );
}
