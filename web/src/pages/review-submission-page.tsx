import { useEffect, useState } from 'preact/hooks';
import { ReportView } from '../components/report-view';
import { api, ApiError, type SubmissionView } from '../lib/api';

/** Loads a submission in the owner's view (the reviewer's session cookie authorises it). */
export function useOwnerSubmission(id: string): { sub: SubmissionView | null; error: string | null } {
  const [sub, setSub] = useState<SubmissionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setSub(null);
    api<SubmissionView>(`/v1/submissions/${encodeURIComponent(id)}?view=owner`).then(setSub, (e: unknown) =>
      setError(e instanceof ApiError ? e.message : 'Could not load the submission.'),
    );
  }, [id]);
  return { sub, error };
}

/** One submission's full report with every check's evidence, for a reviewer. */
export function ReviewSubmissionPage({ id }: { id: string }) {
  const { sub, error } = useOwnerSubmission(id);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!sub) return <p>Loading…</p>;
  return (
    <>
      <h1>Submission {id.slice(0, 8)}</h1>
      <p class="muted">
        {sub.challenge_id} · {sub.status} · submitted {sub.created_at}
      </p>
      {sub.report ? <ReportView report={sub.report} showEvidence /> : <p>Not graded yet ({sub.status}).</p>}
    </>
  );
}
