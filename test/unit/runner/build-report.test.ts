import { buildReport } from '../../../runner/grading/build-report';
import { countLogLeaks, wantsLogScan } from '../../../runner/grading/log-leaks';
import type { PodOutcome } from '../../../runner/sandbox/pod-definition';
import { demoManifest, graderCheck as check, podOutcome as outcome } from '../../support/report-fixtures';

const manifest = demoManifest(
  [
    { id: 'c-a', title: 'A', category: 'correctness', weight: 1 },
    { id: 'c-b', title: 'B', category: 'correctness', weight: 3 },
    { id: 'a-c', title: 'C', category: 'api_design', weight: 1 },
  ],
  { correctness: 3, api_design: 1, query_optimization: 0, security: 0, performance: 0 },
);

const build = (out: PodOutcome | null, setupFailure: string | null = null) =>
  buildReport(manifest, { outcome: out, setupFailure, runtime: 'runsc', timingsMs: {} });

describe('buildReport', () => {
  it('when every check passes, scores 100 everywhere with status pass', () => {
    const r = build(outcome([check('c-a', 'pass'), check('c-b', 'pass'), check('a-c', 'pass')]));
    expect(r.status).toBe('pass');
    expect(r.scores).toEqual({ overall: 100, categories: { correctness: 100, api_design: 100 } });
    expect(r.tests.map((t) => [t.id, t.task_id, t.category, t.weight])).toEqual([
      ['c-a', 1, 'correctness', 1],
      ['c-b', 2, 'correctness', 3],
      ['a-c', 3, 'api_design', 1],
    ]);
  });

  it('weights checks inside a category and categories in the overall score', () => {
    const r = build(outcome([check('c-a', 'pass'), check('c-b', 'fail'), check('a-c', 'pass')]));
    expect(r.status).toBe('fail');
    expect(r.scores.categories.correctness).toBe(25);
    expect(r.scores.overall).toBe(43.8); // (3 × 25 + 1 × 100) / 4
  });

  it('when the run timed out, reports time_limit and fails the checks that did not run', () => {
    const r = build(outcome([check('c-a', 'pass')], { output: null, timedOut: true }));
    expect(r.reason).toBe('time_limit');
    expect(r.status).toBe('fail');
    expect(r.tests.find((t) => t.id === 'c-b')?.message).toMatch(/time limit/);
  });

  it('when the service was OOM-killed, reports memory_limit; when it exited, crashed', () => {
    expect(
      build(
        outcome([check('c-a', 'fail')], {
          candidate: { started: true, running: false, exitCode: 137, oomKilled: true },
        }),
      ).reason,
    ).toBe('memory_limit');
    expect(
      build(
        outcome([check('c-a', 'fail')], {
          candidate: { started: true, running: false, exitCode: 1, oomKilled: false },
        }),
      ).reason,
    ).toBe('crashed');
  });

  it('when the service could not be set up, scores 0 with setup_failed and the message', () => {
    const r = build(null, 'package.json needs a "scripts.start" command');
    expect(r.reason).toBe('setup_failed');
    expect(r.scores.overall).toBe(0);
    expect(r.message).toMatch(/scripts.start/);
  });

  it('when the grader reports an error for a check, the report is a platform error', () => {
    expect(build(outcome([check('c-a', 'pass'), check('c-b', 'error'), check('a-c', 'pass')])).status).toBe(
      'error',
    );
  });

  it('when the grader produced no document without a timeout, the report is a platform error', () => {
    const r = build(outcome([], { output: null }));
    expect(r.status).toBe('error');
    expect(r.reason).toBe('internal_error');
  });

  it('fails a passing check whose forbidden values the runner found in the service log, and only it', () => {
    const leaky = check('c-a', 'pass', { log_must_not_contain: ['hunter2-secret', 'other-secret'] });
    const checks = [leaky, check('c-b', 'pass'), check('a-c', 'pass')];
    const log = 'listening\nlogin {"password":"hunter2-secret"}\n';
    expect(wantsLogScan(checks)).toBe(true);
    expect(countLogLeaks(log, checks)).toEqual({ 'c-a': 1 });
    const r = build(outcome(checks, { logLeaks: countLogLeaks(log, checks) }));
    const a = r.tests.find((t) => t.id === 'c-a');
    expect([a?.status, a?.evidence]).toEqual(['fail', { log_leaks: 1 }]);
    expect(a?.message).toMatch(/service log/);
    expect(r.tests.filter((t) => t.status === 'fail').map((t) => t.id)).toEqual(['c-a']);
    expect(JSON.stringify(r)).not.toContain('hunter2-secret');
    expect(countLogLeaks('clean log', checks)).toEqual({});
  });
});
