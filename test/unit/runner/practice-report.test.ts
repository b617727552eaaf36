import { orderChecks } from '../../../grader/suite';
import { readGraderEnv } from '../../../grader/grader-env';
import { defineCheck } from '../../../grader/check';
import { redactReportForCandidate } from '../../../runner/contract/redact-report';
import { buildReport } from '../../../runner/grading/build-report';
import { demoManifest, graderCheck as check, podOutcome as outcome } from '../../support/report-fixtures';

const manifest = demoManifest(
  [
    { id: 'c-a', title: 'A', category: 'correctness', weight: 1, practice: true, visibility: 'hidden' },
    { id: 'c-b', title: 'B', category: 'correctness', weight: 3 },
    { id: 'a-c', title: 'C', category: 'api_design', weight: 1, practice: true },
  ],
  { correctness: 3, api_design: 1, query_optimization: 0, security: 0, performance: 0 },
);

describe('practice runs', () => {
  it('the grader reads GRADER_ONLY_CHECKS and runs only those checks, runLast order kept', () => {
    const env = readGraderEnv({
      APP_URL: 'http://127.0.0.1:1',
      SERVICES: '[]',
      GRADER_ONLY_CHECKS: 'c-a, a-c',
    });
    expect(env.onlyChecks).toEqual(['c-a', 'a-c']);
    const run = async (): Promise<void> => undefined;
    const checks = [
      defineCheck('c-a', run, { runLast: true }),
      defineCheck('c-b', run),
      defineCheck('a-c', run),
    ];
    expect(orderChecks(checks, env.onlyChecks).map((c) => c.id)).toEqual(['a-c', 'c-a']);
    expect(orderChecks(checks).map((c) => c.id)).toEqual(['c-b', 'a-c', 'c-a']);
    expect(readGraderEnv({ APP_URL: 'a', SERVICES: '[]' }).onlyChecks).toBeNull();
  });

  it('a practice report lists only practice checks, in full, unscored, marked practice', () => {
    const r = buildReport(manifest, {
      outcome: outcome([
        check('c-a', 'pass', { evidence: { status: 200 } }),
        check('a-c', 'fail', { evidence: { status: 500 } }),
      ]),
      setupFailure: null,
      runtime: 'runsc',
      timingsMs: {},
      practice: true,
    });
    expect(r.mode).toBe('practice');
    expect(r.tests.map((t) => [t.id, t.status, t.visibility])).toEqual([
      ['c-a', 'pass', 'full'],
      ['a-c', 'fail', 'full'],
    ]);
    expect(r.scores).toEqual({ overall: 0, categories: {} });
    // The candidate's view keeps the evidence of every practice check.
    const view = redactReportForCandidate(r);
    expect(view.tests.map((t) => t.evidence)).toEqual([{ status: 200 }, { status: 500 }]);
  });

  it('a graded report keeps every check, its visibility and scores, and has no mode', () => {
    const r = buildReport(manifest, {
      outcome: outcome([check('c-a', 'pass'), check('c-b', 'pass'), check('a-c', 'pass')]),
      setupFailure: null,
      runtime: 'runsc',
      timingsMs: {},
    });
    expect(r.mode).toBeUndefined();
    expect(r.tests.map((t) => t.visibility)).toEqual(['hidden', 'hint', 'hint']);
    expect(r.scores.overall).toBe(100);
  });
});
