import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, type AssessmentView, type CandidateResult } from '../lib/api';
import { onLinkClick } from '../lib/router';
import { formatDuration } from '../lib/format-duration';
import { sortResults, type ResultSortKey } from '../lib/sort-results';
import { ResultsFilterBar } from './results-filter-bar';
import { SortHeaderCell, type TableSort } from './sort-header-cell';

/** The statuses of an invited candidate, as the status filter offers them. */
const CANDIDATE_STATUSES = ['pending', 'started', 'completed', 'expired'] as const;

/**
 * The reviewer's assessments: pick one of the organisation's assessments (`GET /v1/assessments`), then its
 * candidates and results (`GET /v1/assessments/:id/results`) in a table sortable by any column (a button in
 * each header, `aria-sort` on the sorted one) and filtered by candidate text and status; each challenge's
 * score links to the full report of the candidate's latest graded submission, and two picked scores open
 * side by side. Needs `assessments:read` and
 * `results:read`.
 */
export function AssessmentResultsTable() {
  const [assessments, setAssessments] = useState<AssessmentView[] | null>(null);
  const [picked, setPicked] = useState('');
  const [rows, setRows] = useState<CandidateResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<TableSort<ResultSortKey>>({ key: 'candidate', dir: 1 });
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [pickedSubmissions, setPicked2] = useState<string[]>([]);
  const togglePick = (id: string): void =>
    setPicked2((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const fail = (e: unknown): void =>
    setError(e instanceof ApiError ? e.message : 'Could not load the results.');
  useEffect(() => {
    api<{ data: AssessmentView[] }>('/v1/assessments').then((r) => {
      setAssessments(r.data);
      if (r.data[0]) setPicked(r.data[0].id);
    }, fail);
  }, []);
  useEffect(() => {
    if (!picked) return;
    setRows(null);
    api<{ data: CandidateResult[] }>(`/v1/assessments/${encodeURIComponent(picked)}/results`).then(
      (r) => setRows(r.data),
      fail,
    );
  }, [picked]);
  const assessment = assessments?.find((a) => a.id === picked);
  const shown = useMemo(() => {
    const t = text.trim().toLowerCase();
    const filtered = (rows ?? []).filter(
      (r) =>
        (!t || `${r.candidate.name ?? ''} ${r.candidate.email}`.toLowerCase().includes(t)) &&
        (!status || r.status === status),
    );
    return sortResults(filtered, sort.key, sort.dir);
  }, [rows, text, status, sort]);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!assessments) return <p>Loading…</p>;
  if (assessments.length === 0) return <p>No assessments yet (POST /v1/assessments creates one).</p>;
  const columns: [ResultSortKey, string][] = [
    ['candidate', 'Candidate'],
    ['status', 'Status'],
    ['time_used_ms', 'Time used'],
    ...(assessment?.challenge_ids ?? []).map((c): [ResultSortKey, string] => [
      `challenge:${c}`,
      `${c} overall`,
    ]),
    ['submissions', 'Submissions'],
  ];
  return (
    <>
      <ResultsFilterBar
        text={{ id: 'candidate-filter', label: 'Filter by candidate', value: text, onInput: setText }}
        status={{ id: 'candidate-status', options: CANDIDATE_STATUSES, value: status, onChange: setStatus }}
        compare={{ label: 'Compare picked candidates', picked: pickedSubmissions }}
      >
        <label for="assessment-pick">Assessment</label>
        <select
          id="assessment-pick"
          value={picked}
          onChange={(e) => setPicked((e.currentTarget as HTMLSelectElement).value)}
        >
          {assessments.map((a) => (
            <option key={a.id} value={a.id}>
              {a.title}
            </option>
          ))}
        </select>
      </ResultsFilterBar>
      {!rows ? (
        <p>Loading…</p>
      ) : (
        <table class="results" data-testid="assessment-results">
          <caption>
            {assessment?.title}: {shown.length} of {rows.length} candidates
          </caption>
          <thead>
            <tr>
              {columns.map(([key, label]) => (
                <SortHeaderCell key={key} column={key} label={label} sort={sort} onSort={setSort} />
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.invite_id} data-invite={r.invite_id}>
                <td>
                  {r.candidate.name ?? r.candidate.email}
                  {r.candidate.name && <span class="muted"> ({r.candidate.email})</span>}
                </td>
                <td>{r.status}</td>
                <td class="num">{r.time_used_ms === null ? '—' : formatDuration(r.time_used_ms)}</td>
                {r.challenges.map((c) => (
                  <td key={c.challenge_id} class="num">
                    {c.scores && c.submission_id ? (
                      <>
                        <input
                          type="checkbox"
                          class="pick"
                          checked={pickedSubmissions.includes(c.submission_id)}
                          onChange={() => togglePick(c.submission_id!)}
                          aria-label={`Pick ${r.candidate.name ?? r.candidate.email}'s ${c.challenge_id} submission for comparison`}
                        />{' '}
                        <a
                          href={`/app/review/submissions/${encodeURIComponent(c.submission_id)}`}
                          onClick={onLinkClick}
                        >
                          {Math.round(c.scores.overall)}%
                        </a>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                ))}
                <td class="num">{r.submissions.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
