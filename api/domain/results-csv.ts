import { stringify } from 'csv-stringify/sync';
import { CATEGORIES } from '../../runner/contract/categories';
import type { CandidateResult } from '../schemas/assessment.schema';

/** Media type of the results export (RFC 4180 §3, with its optional `header` parameter). */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

/** Column names of {@link resultsCsv}. */
export const RESULTS_CSV_COLUMNS = [
  'invite_id',
  'email',
  'name',
  'status',
  'started_at',
  'completed_at',
  'time_used_ms',
  'challenge_id',
  'attempts',
  'submission_id',
  'verdict',
  'overall',
  ...CATEGORIES,
] as const;

/**
 * First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"): `=`, `+`, `-`,
 * `@`, tab, carriage return, and their full-width forms, which some spreadsheets normalise.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A text cell made inert for spreadsheets: prefixed with `'` when it starts like a formula (OWASP "CSV
 * Injection"), so `=HYPERLINK(…)` in a candidate's name is shown, not run. Numbers are written as numbers.
 */
export function inertCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Results as CSV: one row per candidate and challenge after a header row, written by csv-stringify per
 * RFC 4180 (CRLF line ends; every text field double-quoted with quotes doubled, so commas and line breaks
 * in names stay inside their field), each text guarded by {@link inertCell}; an absent value is an empty
 * field. Pure.
 */
export function resultsCsv(results: readonly CandidateResult[]): string {
  const rows: (string | number | null)[][] = [];
  for (const r of results) {
    for (const c of r.challenges) {
      rows.push([
        r.invite_id,
        r.candidate.email,
        r.candidate.name,
        r.status,
        r.started_at,
        r.completed_at,
        r.time_used_ms,
        c.challenge_id,
        c.attempts,
        c.submission_id,
        c.verdict,
        c.scores?.overall ?? null,
        ...CATEGORIES.map((cat) => c.scores?.categories[cat] ?? null),
      ]);
    }
  }
  return stringify(rows, {
    header: true,
    columns: [...RESULTS_CSV_COLUMNS],
    record_delimiter: 'windows',
    quoted_string: true,
    cast: { string: inertCell },
  });
}
