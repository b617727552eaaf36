/**
 * The results CSV: RFC 4180 (header row, CRLF, quoted text with doubled quotes) and inert in spreadsheets
 * (OWASP "CSV Injection": a text cell that starts like a formula is prefixed with `'`).
 */
import { inertCell, RESULTS_CSV_COLUMNS, resultsCsv } from '../../../api/domain/results-csv';
import type { CandidateResult } from '../../../api/schemas/assessment.schema';

function row(name: string, email = 'ada@example.com'): CandidateResult {
  return {
    invite_id: 'inv-1',
    candidate: { email, name },
    status: 'completed',
    started_at: '2026-12-06T00:00:00.000Z',
    completed_at: '2026-12-06T00:30:00.000Z',
    time_used_ms: 1_800_000,
    challenges: [
      {
        challenge_id: 'attack-lab',
        attempts: 2,
        submission_id: 'sub-1',
        verdict: 'fail',
        scores: { overall: 62.5, categories: { correctness: 75, security: -0 } },
      },
    ],
    submissions: [],
  } as CandidateResult;
}

describe('resultsCsv', () => {
  it('writes a header and one CRLF-terminated row per candidate and challenge, numbers unquoted', () => {
    const csv = resultsCsv([row('Ada Lovelace')]);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]).toBe(RESULTS_CSV_COLUMNS.map((c) => `"${c}"`).join(','));
    expect(lines[1]).toBe(
      '"inv-1","ada@example.com","Ada Lovelace","completed","2026-12-06T00:00:00.000Z","2026-12-06T00:30:00.000Z",1800000,"attack-lab",2,"sub-1","fail",62.5,75,,,0,',
    );
  });

  it('keeps commas, quotes and line breaks inside their field (RFC 4180 §2.6, §2.7)', () => {
    const line = resultsCsv([row('Lovelace, "Ada"\nCountess')])
      .split('\r\n')
      .slice(1)
      .join('\r\n');
    expect(line).toContain(',"Lovelace, ""Ada""\nCountess",');
  });

  it.each(['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '＝1+1'])(
    'makes %j inert with a leading quote',
    (name) => {
      expect(inertCell(name)).toBe(`'${name}`);
      expect(resultsCsv([row(name)])).toContain(`"'${name.replace(/"/g, '""')}"`);
    },
  );

  it('leaves ordinary text alone', () => {
    expect(inertCell('Ada')).toBe('Ada');
    expect(inertCell('a=b')).toBe('a=b');
  });
});
