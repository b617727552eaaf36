import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type ChallengeSummary } from '../lib/api';
import { onLinkClick } from '../lib/router';

/** The catalog: every challenge with its summary, linking to its statement. */
export function ChallengeListPage() {
  const [list, setList] = useState<ChallengeSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ data: ChallengeSummary[] }>('/v1/challenges').then(
      (r) => setList(r.data),
      (e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the challenges.'),
    );
  }, []);
  return (
    <>
      <h1>Challenges</h1>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!list && !error && <p>Loading…</p>}
      <ul class="cards">
        {list?.map((c) => (
          <li key={c.id} class="card">
            <h2>
              <a href={`/app/challenges/${encodeURIComponent(c.id)}`} onClick={onLinkClick}>
                {c.title}
              </a>
            </h2>
            <p>{c.summary}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
