import { useEffect, useState } from 'preact/hooks';
import type { GradingProgress } from '../lib/api';

/** The final event of a grading's stream. */
export interface GradingDone {
  status: 'completed' | 'error';
  overall: number | null;
}

const STAGE_LABELS: Record<GradingProgress['stage'], string> = {
  queued: 'Queued: waiting for a runner',
  installing: 'Installing dependencies',
  pod_starting: 'Starting the pod (your service and its databases)',
  checks: 'Running checks',
  done: 'Done',
};

/** A progress event in words: `Running checks 3/12`. */
export function describeProgress(p: GradingProgress): string {
  const base = STAGE_LABELS[p.stage];
  return p.stage === 'checks' && p.checks_total !== undefined
    ? `${base} ${p.checks_done ?? 0}/${p.checks_total}`
    : base;
}

/**
 * Follows a submission's grading through `GET /v1/submissions/:id/events` (Server-Sent Events): lists each
 * stage as it arrives (a polite live region, so screen readers announce it) and calls `onDone` once.
 */
export function ProgressView({
  submissionId,
  onDone,
}: {
  submissionId: string;
  onDone: (d: GradingDone) => void;
}) {
  const [events, setEvents] = useState<GradingProgress[]>([]);
  const [finished, setFinished] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/v1/submissions/${encodeURIComponent(submissionId)}/events`);
    source.addEventListener('progress', (e) => {
      const p = JSON.parse((e as MessageEvent<string>).data) as GradingProgress;
      setEvents((prev) => {
        const last = prev[prev.length - 1];
        // Consecutive check counts replace each other; a new stage is a new line.
        if (last && last.stage === 'checks' && p.stage === 'checks') return [...prev.slice(0, -1), p];
        return [...prev, p];
      });
    });
    source.addEventListener('done', (e) => {
      source.close();
      setFinished(true);
      onDone(JSON.parse((e as MessageEvent<string>).data) as GradingDone);
    });
    return () => source.close();
  }, [submissionId]);
  return (
    <section aria-labelledby="progress-heading" class="progress">
      <h2 id="progress-heading">Progress</h2>
      <ol aria-live="polite" data-testid="progress-events">
        {events.map((p, i) => (
          <li key={i} data-stage={p.stage}>
            {describeProgress(p)}
          </li>
        ))}
        {finished && <li data-stage="done">{STAGE_LABELS.done}</li>}
      </ol>
      {!finished && events.length === 0 && <p>Connecting…</p>}
    </section>
  );
}
