import { useCallback, useState } from 'preact/hooks';
import { ProgressView, type GradingDone } from '../components/progress-view';
import { ReportView } from '../components/report-view';
import { ScoreChart } from '../components/score-chart';
import { api, ApiError, type SubmissionView } from '../lib/api';

/**
 * A submission as its candidate follows it: live progress, then the report in the candidate's view. The
 * `onDone` callback (embed mode) receives the submission once graded.
 */
export function SubmissionFollow({ id, onDone }: { id: string; onDone?: (s: SubmissionView) => void }) {
  const [sub, setSub] = useState<SubmissionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const done = useCallback(
    (_d: GradingDone) => {
      api<SubmissionView>(`/v1/submissions/${encodeURIComponent(id)}`).then(
        (s) => {
          setSub(s);
          onDone?.(s);
        },
        (e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the report.'),
      );
    },
    [id],
  );
  return (
    <>
      <p class="muted">
        Submission <code>{id}</code>
      </p>
      <ProgressView submissionId={id} onDone={done} />
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {sub?.status === 'error' && (
        <p role="alert" class="error">
          The platform could not grade this submission ({sub.error?.message ?? 'unknown error'}). It is not a
          verdict on your code; submit again later.
        </p>
      )}
      {sub?.report && <ReportView report={sub.report} showEvidence />}
      {sub && !sub.report && sub.status === 'completed' && <TieredFeedback sub={sub} />}
    </>
  );
}

/**
 * What an assessment's feedback tier shows of a graded submission without its report: the scores (tier
 * `scores`) or only that it was graded (tier `none`).
 */
export function TieredFeedback({ sub }: { sub: SubmissionView }) {
  if (sub.scores)
    return (
      <section aria-labelledby="scores-heading" data-testid="report">
        <h2 id="scores-heading">Scores</h2>
        <ScoreChart
          scores={{
            overall: sub.scores.overall,
            categories: sub.scores.categories as Record<string, number>,
          }}
        />
        <p class="muted">This assessment shows candidates their scores, not the checks.</p>
      </section>
    );
  return (
    <p data-testid="report">
      Your submission was graded. This assessment shows candidates no results; the organisation will be in
      touch.
    </p>
  );
}

/** The page of one submission (candidate view). */
export function SubmissionPage({ id }: { id: string }) {
  return (
    <>
      <h1>Your submission</h1>
      <SubmissionFollow id={id} />
    </>
  );
}
