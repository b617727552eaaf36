import type { CandidateResult } from '../../../web/src/lib/api';
import { sortResults } from '../../../web/src/lib/sort-results';

function row(
  email: string,
  name: string | null,
  overall: number | null,
  timeUsedMs: number | null,
  submissions = 0,
): CandidateResult {
  return {
    invite_id: email,
    candidate: { email, name },
    status: overall === null ? 'pending' : 'completed',
    started_at: null,
    completed_at: null,
    time_used_ms: timeUsedMs,
    challenges: [
      {
        challenge_id: 'orders-api',
        attempts: submissions,
        submission_id: overall === null ? null : `s-${email}`,
        verdict: null,
        scores: overall === null ? null : { overall, categories: {} },
      },
    ],
    submissions: Array.from({ length: submissions }, (_, i) => ({
      id: `${email}-${i}`,
      challenge_id: 'orders-api',
      status: 'completed' as const,
      created_at: '2026-01-01T00:00:00.000Z',
      overall,
    })),
  };
}

const ada = row('ada@example.com', 'Ada', 90, 600_000, 2);
const bob = row('bob@example.com', null, null, null);
const cy = row('cy@example.com', 'Cy', 40, 300_000, 1);

const emails = (rows: CandidateResult[]): string[] => rows.map((r) => r.candidate.email);

describe('sortResults', () => {
  it('sorts by the candidate name, or the email without one, case-insensitively', () => {
    expect(emails(sortResults([cy, bob, ada], 'candidate', 1))).toEqual([
      'ada@example.com',
      'bob@example.com',
      'cy@example.com',
    ]);
    expect(emails(sortResults([cy, bob, ada], 'candidate', -1))).toEqual([
      'cy@example.com',
      'bob@example.com',
      'ada@example.com',
    ]);
  });

  it("sorts by a challenge's overall score with candidates without one last in both directions", () => {
    expect(emails(sortResults([bob, ada, cy], 'challenge:orders-api', 1))).toEqual([
      'cy@example.com',
      'ada@example.com',
      'bob@example.com',
    ]);
    expect(emails(sortResults([bob, cy, ada], 'challenge:orders-api', -1))).toEqual([
      'ada@example.com',
      'cy@example.com',
      'bob@example.com',
    ]);
  });

  it('sorts by time used and by the number of submissions, and leaves its input unchanged', () => {
    const input = [ada, bob, cy];
    expect(emails(sortResults(input, 'time_used_ms', 1))).toEqual([
      'cy@example.com',
      'ada@example.com',
      'bob@example.com',
    ]);
    expect(emails(sortResults(input, 'submissions', -1))).toEqual([
      'ada@example.com',
      'cy@example.com',
      'bob@example.com',
    ]);
    expect(emails(input)).toEqual(['ada@example.com', 'bob@example.com', 'cy@example.com']);
  });
});
