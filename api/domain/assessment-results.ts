import { CATEGORIES } from '../../runner/contract/categories';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import type { AssessmentDocument } from '../data-access/assessment-store';
import type { InviteDocument } from '../data-access/invite-store';
import type { CandidateResult } from '../schemas/assessment.schema';

/**
 * One row per invited candidate: status, time used, and per challenge the attempts and the scores of the
 * latest graded submission. Pure.
 *
 * @param now - for the time used of a candidate still working, capped at the deadline.
 */
export function buildResults(
  assessment: AssessmentDocument,
  invites: readonly InviteDocument[],
  submissions: readonly SubmissionDocument[],
  now: Date,
): CandidateResult[] {
  return invites.map((invite) => {
    const mine = submissions.filter((s) => s.assessment?.invite_id === invite._id);
    let timeUsed: number | null = null;
    if (invite.started_at) {
      const end = invite.completed_at ?? (invite.deadline && invite.deadline < now ? invite.deadline : now);
      timeUsed = Math.max(0, end.getTime() - invite.started_at.getTime());
    }
    return {
      invite_id: invite._id,
      candidate: invite.candidate,
      status: invite.status,
      started_at: invite.started_at?.toISOString() ?? null,
      completed_at: invite.completed_at?.toISOString() ?? null,
      time_used_ms: timeUsed,
      challenges: assessment.challenge_ids.map((challengeId) => {
        const graded = mine.filter((s) => s.challenge_id === challengeId && s.report);
        const latest = graded[graded.length - 1];
        return {
          challenge_id: challengeId,
          attempts: invite.attempts[challengeId] ?? 0,
          submission_id: latest?._id ?? null,
          verdict: latest?.report?.status ?? null,
          scores: latest?.report?.scores ?? null,
        };
      }),
      submissions: mine.map((s) => ({
        id: s._id,
        challenge_id: s.challenge_id,
        status: s.status,
        created_at: s.created_at.toISOString(),
        overall: s.report?.scores.overall ?? null,
      })),
    };
  });
}

/**
 * A CSV field per RFC 4180 §2 (quoted when it holds a comma, quote or line break; quotes doubled). A text
 * starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` so spreadsheets do not run it
 * as a formula (OWASP "CSV Injection").
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

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

/** Results as CSV (RFC 4180, CRLF line ends, header row): one row per candidate and challenge. */
export function resultsCsv(results: readonly CandidateResult[]): string {
  const rows: string[] = [RESULTS_CSV_COLUMNS.join(',')];
  for (const r of results) {
    for (const c of r.challenges) {
      const cells: (string | number | null)[] = [
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
      ];
      rows.push(cells.map(csvField).join(','));
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}
