import { useEffect, useMemo, useState } from 'preact/hooks';
import { AssessmentResultsTable } from '../components/assessment-results-table';
import { ResultsFilterBar } from '../components/results-filter-bar';
import { CATEGORY_LABELS } from '../components/score-chart';
import { SortHeaderCell, type TableSort } from '../components/sort-header-cell';
import { api, ApiError, type ReviewerSessionView, type SubmissionRow } from '../lib/api';
import { onLinkClick } from '../lib/router';

/** Sign-in with an organisation's API key: a form sent with the session's CSRF token. */
export function LoginForm({
  session,
  onLogin,
}: {
  session: ReviewerSessionView;
  onLogin: (s: ReviewerSessionView) => void;
}) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      const s = await api<ReviewerSessionView>('/v1/reviewer-session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        body: JSON.stringify({ api_key: key }),
      });
      setKey('');
      onLogin(s);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Sign-in failed.');
    }
  };
  return (
    <form class="login" onSubmit={(e) => void submit(e)}>
      <h1>Reviewer sign-in</h1>
      <p>Sign in with your organisation's API key (`npm run api-key -- create --owner …` prints one).</p>
      <label for="api-key">Organisation API key</label>
      <input
        id="api-key"
        type="password"
        autocomplete="off"
        required
        value={key}
        onInput={(e) => setKey((e.currentTarget as HTMLInputElement).value)}
      />
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <button type="submit">Sign in</button>
    </form>
  );
}

type SortKey = 'created_at' | 'challenge_id' | 'status' | 'overall' | 'failed_checks' | string;

/** The statuses of a submission, as the status filter offers them. */
const SUBMISSION_STATUSES = ['queued', 'running', 'completed', 'error'] as const;

function cellValue(r: SubmissionRow, key: SortKey): string | number | null {
  if (
    key === 'overall' ||
    key === 'failed_checks' ||
    key === 'created_at' ||
    key === 'challenge_id' ||
    key === 'status'
  )
    return r[key];
  return r.categories[key] ?? null;
}

/**
 * The results table: every submission of the organisation's challenges, sortable by any column (a button in
 * each header, `aria-sort` on the sorted one) and filtered by text (id or challenge) and status; two rows
 * picked open side by side.
 */
export function ResultsTable() {
  const [rows, setRows] = useState<SubmissionRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<TableSort<SortKey>>({ key: 'created_at', dir: -1 });
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  useEffect(() => {
    api<{ data: SubmissionRow[] }>('/v1/submissions').then(
      (r) => setRows(r.data),
      (e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the results.'),
    );
  }, []);
  const categories = useMemo(
    () => Object.keys(CATEGORY_LABELS).filter((c) => rows?.some((r) => c in r.categories)),
    [rows],
  );
  const shown = useMemo(() => {
    const t = text.trim().toLowerCase();
    return (rows ?? [])
      .filter(
        (r) => (!t || r.id.includes(t) || r.challenge_id.includes(t)) && (!status || r.status === status),
      )
      .sort((a, b) => {
        const x = cellValue(a, sort.key);
        const y = cellValue(b, sort.key);
        if (x === y) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * sort.dir;
      });
  }, [rows, text, status, sort]);
  const columns: [SortKey, string][] = [
    ['created_at', 'Submitted'],
    ['challenge_id', 'Challenge'],
    ['status', 'Status'],
    ['overall', 'Overall'],
    ...categories.map((c): [SortKey, string] => [c, CATEGORY_LABELS[c] ?? c]),
    ['failed_checks', 'Failed checks'],
  ];
  const toggle = (id: string): void =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!rows) return <p>Loading…</p>;
  return (
    <>
      <ResultsFilterBar
        text={{ id: 'filter-text', label: 'Filter by id or challenge', value: text, onInput: setText }}
        status={{ id: 'filter-status', options: SUBMISSION_STATUSES, value: status, onChange: setStatus }}
        compare={{ label: 'Compare selected', picked }}
      />
      <table class="results" data-testid="results-table">
        <caption>
          {shown.length} of {rows.length} submissions
        </caption>
        <thead>
          <tr>
            <th scope="col">Pick</th>
            {columns.map(([key, label]) => (
              <SortHeaderCell key={key} column={key} label={label} sort={sort} onSort={setSort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.id} data-id={r.id}>
              <td>
                <input
                  type="checkbox"
                  id={`pick-${r.id}`}
                  checked={picked.includes(r.id)}
                  onChange={() => toggle(r.id)}
                  aria-label={`Pick submission ${r.id.slice(0, 8)} for comparison`}
                />
              </td>
              <td>
                <a href={`/app/review/submissions/${r.id}`} onClick={onLinkClick}>
                  {new Date(r.created_at).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC
                </a>
              </td>
              <td>{r.challenge_id}</td>
              <td>{r.status}</td>
              <td class="num">{r.overall === null ? '—' : `${Math.round(r.overall)}%`}</td>
              {categories.map((c) => (
                <td key={c} class="num">
                  {r.categories[c] === undefined ? '—' : `${Math.round(r.categories[c])}%`}
                </td>
              ))}
              <td class="num">{r.failed_checks ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The reviewer's home: sign-in, or the assessments' results and every submission's results. */
export function ReviewPage({
  session,
  onSession,
}: {
  session: ReviewerSessionView | null;
  onSession: (s?: ReviewerSessionView) => void;
}) {
  if (!session) return <p>Loading…</p>;
  if (!session.reviewer) return <LoginForm session={session} onLogin={onSession} />;
  return (
    <>
      <h1>Results of {session.reviewer.organisation}</h1>
      <section aria-labelledby="assessments-heading">
        <h2 id="assessments-heading">Assessments</h2>
        <AssessmentResultsTable />
      </section>
      <section aria-labelledby="submissions-heading">
        <h2 id="submissions-heading">All submissions</h2>
        <ResultsTable />
      </section>
    </>
  );
}
