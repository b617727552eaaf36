import type { GradeReport, ReportTest } from '../lib/api';
import { EvidenceView } from './evidence-view';
import { CATEGORY_LABELS, orderedCategories, ScoreChart } from './score-chart';

const STATUS_TEXT: Record<ReportTest['status'], string> = {
  pass: 'Passed',
  fail: 'Failed',
  error: 'Error',
  not_assessed: 'Not assessed',
};

/** How long a check ran: `840 ms` under a second, else seconds to one decimal (`4.4 s`). */
const checkDuration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(Math.round(ms / 100) / 10).toFixed(1)} s`;

/**
 * A grading report: the verdict, the score chart (a practice run, which is unscored, says so instead), the
 * checks grouped by category (failed ones first within a category, each with its message and, where the
 * view has it, its evidence and how long the check ran: the owner's view) and the service log. All candidate text is rendered as text, never as HTML.
 */
export function ReportView({
  report,
  showEvidence = false,
  idPrefix = 'r',
}: {
  report: GradeReport;
  showEvidence?: boolean;
  /** Prefix of element ids, distinct per report on one page. */
  idPrefix?: string;
}) {
  const byCategory = new Map<string, ReportTest[]>();
  for (const t of report.tests) {
    const list = byCategory.get(t.category) ?? [];
    list.push(t);
    byCategory.set(t.category, list);
  }
  const categories = orderedCategories(Object.fromEntries(byCategory));
  return (
    <section class="report" aria-labelledby={`${idPrefix}-report-heading`} data-testid="report">
      <h2 id={`${idPrefix}-report-heading`}>
        {report.mode === 'practice' ? 'Practice report (not scored)' : 'Report'}
      </h2>
      <p class={`verdict ${report.status}`}>
        Verdict:{' '}
        <strong>{report.status === 'pass' ? 'passed' : report.status === 'fail' ? 'failed' : 'error'}</strong>
        {report.reason && <> ({report.reason.replace(/_/g, ' ')})</>}
        {report.message && <> — {report.message}</>}
      </p>
      {report.mode === 'practice' ? (
        <p class="muted" data-testid="practice-note">
          Practice run: only the challenge's practice checks ran, each shown in full; it is not scored.
        </p>
      ) : (
        <ScoreChart
          scores={{
            overall: report.scores.overall,
            categories: report.scores.categories as Record<string, number>,
          }}
        />
      )}
      {categories.map((c) => {
        const tests = [...(byCategory.get(c) ?? [])].sort(
          (a, b) => Number(a.status === 'pass') - Number(b.status === 'pass'),
        );
        return (
          <section key={c} class="category" aria-labelledby={`${idPrefix}-cat-${c}`}>
            <h3 id={`${idPrefix}-cat-${c}`}>
              {CATEGORY_LABELS[c] ?? c}{' '}
              <span class="muted">
                ({tests.filter((t) => t.status === 'pass').length}/{tests.length} passed)
              </span>
            </h3>
            <ul class="checks">
              {tests.map((t) => (
                <li key={t.id} class={`check ${t.status}`} data-check={t.id} data-status={t.status}>
                  <p>
                    <span class={`badge ${t.status}`}>{STATUS_TEXT[t.status]}</span>{' '}
                    <span class="check-name">{t.name}</span>
                    {t.duration_ms !== undefined && (
                      <>
                        {' '}
                        <span class="muted check-duration" data-testid="check-duration">
                          ({checkDuration(t.duration_ms)})
                        </span>
                      </>
                    )}
                  </p>
                  {t.message && <p class="check-message">{t.message}</p>}
                  {t.blocked_by && (
                    <p class="check-message">
                      Its set-up failed because of <code>{t.blocked_by.id}</code>; it is not a defect of its
                      own.
                    </p>
                  )}
                  {showEvidence && t.evidence !== undefined && (
                    <details>
                      <summary>Evidence of {t.name}</summary>
                      <EvidenceView evidence={t.evidence} />
                    </details>
                  )}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {report.service_log && (
        <section aria-labelledby={`${idPrefix}-log-heading`}>
          <h3 id={`${idPrefix}-log-heading`}>Service log</h3>
          <pre class="service-log" data-testid="service-log" tabIndex={0}>
            {report.service_log}
          </pre>
        </section>
      )}
    </section>
  );
}
