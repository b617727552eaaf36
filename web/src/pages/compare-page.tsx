import { ReportView } from '../components/report-view';
import { useOwnerSubmission } from './review-submission-page';

/**
 * Two submissions side by side: a table of every check with both outcomes (rows that differ marked), then
 * both full reports in two columns.
 */
export function ComparePage({ a, b }: { a: string; b: string }) {
  const left = useOwnerSubmission(a);
  const right = useOwnerSubmission(b);
  const error = left.error ?? right.error;
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!left.sub || !right.sub) return <p>Loading…</p>;
  const lt = left.sub.report?.tests ?? [];
  const rt = right.sub.report?.tests ?? [];
  const ids = [...new Set([...lt.map((t) => t.id), ...rt.map((t) => t.id)])];
  return (
    <>
      <h1>Compare submissions</h1>
      <table class="compare" data-testid="compare-table">
        <caption>
          Checks of {a.slice(0, 8)} and {b.slice(0, 8)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">{a.slice(0, 8)}</th>
            <th scope="col">{b.slice(0, 8)}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Overall</th>
            <td class="num">{left.sub.report ? `${Math.round(left.sub.report.scores.overall)}%` : '—'}</td>
            <td class="num">{right.sub.report ? `${Math.round(right.sub.report.scores.overall)}%` : '—'}</td>
          </tr>
          {ids.map((id) => {
            const x = lt.find((t) => t.id === id);
            const y = rt.find((t) => t.id === id);
            const differs = x?.status !== y?.status;
            return (
              <tr key={id} class={differs ? 'differs' : ''} data-check={id} data-differs={String(differs)}>
                <th scope="row">
                  {(x ?? y)?.name ?? id}
                  {differs && <span class="visually-hidden"> (differs)</span>}
                </th>
                <td class={x?.status ?? ''}>{x?.status ?? '—'}</td>
                <td class={y?.status ?? ''}>{y?.status ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div class="side-by-side">
        <div>{left.sub.report && <ReportView report={left.sub.report} showEvidence idPrefix="a" />}</div>
        <div>{right.sub.report && <ReportView report={right.sub.report} showEvidence idPrefix="b" />}</div>
      </div>
    </>
  );
}
