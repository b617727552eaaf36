import type { CandidateResult } from './api';

/** A column of the assessment results table: a field, or a challenge's overall score. */
export type ResultSortKey = 'candidate' | 'status' | 'time_used_ms' | 'submissions' | `challenge:${string}`;

function sortValue(r: CandidateResult, key: ResultSortKey): string | number | null {
  if (key === 'candidate') return (r.candidate.name ?? r.candidate.email).toLowerCase();
  if (key === 'status') return r.status;
  if (key === 'time_used_ms') return r.time_used_ms;
  if (key === 'submissions') return r.submissions.length;
  const id = key.slice('challenge:'.length);
  return r.challenges.find((c) => c.challenge_id === id)?.scores?.overall ?? null;
}

/** Sorts rows by a column; empty cells (null) last in either direction. */
export function sortResults(
  rows: readonly CandidateResult[],
  key: ResultSortKey,
  dir: 1 | -1,
): CandidateResult[] {
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * dir;
  });
}
