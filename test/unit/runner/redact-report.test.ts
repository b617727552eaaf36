import { HIDDEN_CHECK_MESSAGE, redactReportForCandidate } from '../../../runner/contract/redact-report';
import { buildReport } from '../../../runner/grading/build-report';
import { demoManifest, graderCheck, podOutcome } from '../../support/report-fixtures';

const manifest = demoManifest(
  [
    { id: 'c-full', title: 'Full', category: 'correctness', weight: 1, visibility: 'full' },
    { id: 'c-hint', title: 'Hint', category: 'correctness', weight: 1 },
    { id: 's-hidden', title: 'Secret probe', category: 'security', weight: 2, visibility: 'hidden' },
  ],
  { correctness: 1, api_design: 0, query_optimization: 0, security: 1, performance: 0 },
);

const evidence = { sql: 'SELECT * FROM orders', http: [{ status: 500 }] };
const report = buildReport(manifest, {
  outcome: podOutcome(
    ['c-full', 'c-hint', 's-hidden'].map((id) => graderCheck(id, 'fail', { evidence })),
    { candidateLog: 'log' },
  ),
  setupFailure: null,
  runtime: 'runsc',
  timingsMs: {},
});

describe('redactReportForCandidate', () => {
  it('applies each check visibility: full keeps evidence, hint drops it, hidden keeps only status and weight', () => {
    const r = redactReportForCandidate(report);
    const { duration_ms: _d, ...fullWithoutDuration } = report.tests[0]!;
    expect(r.tests[0]).toEqual(fullWithoutDuration);
    expect(r.tests[1]).toMatchObject({ id: 'c-hint', name: 'Hint', message: 'c-hint failed' });
    expect(r.tests[1]).not.toHaveProperty('evidence');
    expect(r.tests[2]).toMatchObject({
      id: 'hidden-3',
      name: 'Hidden check 3',
      message: HIDDEN_CHECK_MESSAGE,
      status: 'fail',
      weight: 2,
      category: 'security',
    });
    expect(JSON.stringify(r.tests[2])).not.toMatch(/Secret probe|s-hidden|SELECT/);
    expect(r.scores).toEqual(report.scores);
  });

  it("keeps each check's duration in the owner's report and drops it from the candidate's", () => {
    expect(report.tests.map((t) => t.duration_ms)).toEqual([1, 1, 1]);
    expect(redactReportForCandidate(report).tests.some((t) => 'duration_ms' in t)).toBe(false);
  });

  it("drops the provenance's runner (which host graded) from the candidate's view and keeps the rest", () => {
    const provenance = {
      stackgrade_version: '1.0.0',
      node_version: 'v22.0.0',
      graded_at: '2026-01-01T00:00:00.000Z',
      grader_seed: 7,
      solution_sha256: 'ab',
      challenge: { id: 'demo', version: 1, hidden_tests_sha256: 'cd', manifest_sha256: 'ef' },
      containers: [],
      runtime_versions: {},
      runner: { worker_id: 'host-2-runner', hostname: 'host-2', engine_id: 'ABCD:EFGH' },
    };
    const r = redactReportForCandidate({ ...report, provenance });
    const { runner: _runner, ...rest } = provenance;
    expect(r.provenance).toEqual(rest);
    expect(JSON.stringify(r)).not.toMatch(/host-2/);
    expect(redactReportForCandidate(report)).not.toHaveProperty('provenance');
  });

  it('leaves the owner report untouched', () => {
    const before = JSON.stringify(report);
    redactReportForCandidate(report);
    expect(JSON.stringify(report)).toBe(before);
    expect(report.tests[2]!.evidence).toEqual(evidence);
  });
});
