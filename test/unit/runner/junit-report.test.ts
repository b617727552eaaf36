/**
 * JUnit XML export of reports: valid against the JUnit schema (test/fixtures/junit/junit.xsd, checked with
 * xmllint compiled to WebAssembly), one suite per category, one case per check, outcomes and scores where
 * CI servers and applicant-tracking systems read them.
 */
import { create } from 'xmlbuilder2';
import { reportToJunit } from '../../../runner/contract/junit-report';
import { buildReport } from '../../../runner/grading/build-report';
import { validateJunit } from '../../support/junit-schema';
import { demoManifest, graderCheck as check, podOutcome as outcome } from '../../support/report-fixtures';

const manifest = demoManifest(
  [
    { id: 'c-a', title: 'Creates orders', category: 'correctness', weight: 1 },
    { id: 'c-b', title: 'Lists orders', category: 'correctness', weight: 3 },
    { id: 's-a', title: 'Rejects <script> & "quotes"', category: 'security', weight: 1 },
    { id: 's-b', title: 'Limits rate', category: 'security', weight: 1 },
    { id: 'p-a', title: 'Answers fast', category: 'performance', weight: 1 },
  ],
  { correctness: 3, api_design: 0, query_optimization: 0, security: 1, performance: 1 },
);

const report = {
  ...buildReport(manifest, {
    outcome: outcome([
      check('c-a', 'pass'),
      check('c-b', 'fail', { message: 'GET /orders answered 500\nbody: {"error":"boom"}\u0000\u001b[31m' }),
      check('s-a', 'not_assessed', { blocked_by: 'c-a', message: 'no order could be created' }),
      check('s-b', 'error', { message: 'grader crashed' }),
      check('p-a', 'pass'),
    ]),
    setupFailure: null,
    runtime: 'runc',
    solutionRuntime: { id: 'node22', version: '22.23.3' },
    timingsMs: { total: 12_345 },
  }),
  provenance: {
    stackgrade_version: '0.1.0',
    node_version: 'v20.20.2',
    graded_at: '2026-12-06T00:40:12.345Z',
    grader_seed: 4242,
    solution_sha256: 'e'.repeat(64),
    challenge: {
      id: 'demo',
      version: 1,
      hidden_tests_sha256: 'a'.repeat(64),
      manifest_sha256: 'b'.repeat(64),
    },
    containers: [],
    runtime_versions: { node22: '22.23.3' },
  },
};

interface El {
  [k: string]: unknown;
}
const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

describe('reportToJunit', () => {
  const xml = reportToJunit(report, { submissionId: 'sub-1' });
  const doc = create(xml).end({ format: 'object' }) as { testsuites: El };
  const suites = asArray(doc.testsuites.testsuite as El | El[]);
  const props = (s: El): Record<string, string> =>
    Object.fromEntries(
      asArray((s.properties as El).property as El | El[]).map((p) => [
        p['@name'] as string,
        p['@value'] as string,
      ]),
    );

  it('is valid against the JUnit schema', async () => {
    const v = await validateJunit(xml);
    expect(v.errors).toEqual([]);
    expect(v.valid).toBe(true);
  });

  it('the schema check can fail: a testcase without classname and a suite without counts are refused', async () => {
    const bad = xml.replace(/ classname="[^"]*"/, '').replace(/ failures="\d+"/, '');
    const v = await validateJunit(bad);
    expect(v.valid).toBe(false);
    expect(v.errors.join('\n')).toMatch(/classname|failures/);
  });

  it('has one suite per category in report order, with counts and the category score', () => {
    expect(suites.map((s) => s['@name'])).toEqual(['correctness', 'security', 'performance']);
    const [correctness, security] = suites as [El, El];
    expect([
      correctness['@tests'],
      correctness['@failures'],
      correctness['@errors'],
      correctness['@skipped'],
    ]).toEqual(['2', '1', '0', '0']);
    expect([security['@tests'], security['@failures'], security['@errors'], security['@skipped']]).toEqual([
      '2',
      '0',
      '1',
      '1',
    ]);
    expect(props(correctness)['stackgrade.score']).toBe(String(report.scores.categories.correctness));
    expect(props(correctness)['stackgrade.score.overall']).toBe(String(report.scores.overall));
    expect(props(security)).toMatchObject({
      'stackgrade.status': 'error',
      'stackgrade.challenge': 'demo',
      'stackgrade.submission_id': 'sub-1',
      'stackgrade.grader_seed': '4242',
      'stackgrade.runtime': 'node22 22.23.3',
    });
    expect(correctness['@timestamp']).toBe('2026-12-06T00:40:12');
    expect(doc.testsuites['@tests']).toBe('5');
    expect(doc.testsuites['@time']).toBe('12.345');
  });

  it("turns a failure into <failure> with the check's message, not_assessed into <skipped>, error into <error>", () => {
    const cases = suites.flatMap((s) => asArray(s.testcase as El | El[]));
    const byName = (id: string): El => cases.find((c) => String(c['@name']).endsWith(`[${id}]`))!;
    expect(byName('c-a')['@classname']).toBe('demo.correctness');
    expect(byName('c-a').failure).toBeUndefined();
    const failure = byName('c-b').failure as El;
    expect(failure['@message']).toBe('GET /orders answered 500');
    // Characters XML 1.0 cannot hold are replaced, the rest of the message is kept.
    expect(failure['#']).toBe('GET /orders answered 500\nbody: {"error":"boom"}\uFFFD\uFFFD[31m');
    const skipped = byName('s-a').skipped as El;
    expect(skipped['@message']).toMatch(/not assessed: its set-up broke on c-a \(correctness\)/);
    expect(byName('s-b').error).toMatchObject({ '@message': 'grader crashed' });
    // Markup in titles is escaped by the builder (the object view above shows attributes still escaped).
    expect(xml).toContain('name="Rejects &lt;script&gt; &amp; &quot;quotes&quot; [s-a]"');
  });

  it('a practice report (unscored, setup failure) is valid too', async () => {
    const practice = buildReport(manifest, {
      outcome: null,
      setupFailure: 'npm ci failed',
      runtime: 'runc',
      timingsMs: {},
      practice: true,
    });
    const v = await validateJunit(reportToJunit(practice));
    expect(v.errors).toEqual([]);
  });
});
