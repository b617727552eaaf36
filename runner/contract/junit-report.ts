import { create } from 'xmlbuilder2';
import { CATEGORIES } from './categories';
import type { GradeReport, ReportTest } from './grade-result.schema';

/** Media type of a JUnit XML document as the API serves it. */
export const JUNIT_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** Longest `message` attribute (characters); the whole message is the element's text. */
const MAX_MESSAGE_ATTR = 500;

/** Seconds with millisecond precision, as JUnit's `time` attributes hold them (`12.345`). */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** ISO 8601 date-time without zone or fraction (UTC), the form Ant's JUnit schema's `timestamp` takes. */
function junitTimestamp(iso: string): string {
  return iso.slice(0, 19);
}

/** The first line of a message, cut to {@link MAX_MESSAGE_ATTR} characters. */
function headline(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return line.length > MAX_MESSAGE_ATTR ? `${line.slice(0, MAX_MESSAGE_ATTR - 1)}…` : line;
}

/** Report-wide properties repeated in every suite (JUnit has no properties on `testsuites`). */
function reportProperties(r: GradeReport, submissionId?: string): [string, string][] {
  const p: [string, string][] = [
    ['stackgrade.challenge', r.challenge.id],
    ['stackgrade.challenge_version', String(r.challenge.version)],
    ['stackgrade.status', r.status],
  ];
  if (submissionId) p.push(['stackgrade.submission_id', submissionId]);
  if (r.mode === 'practice') p.push(['stackgrade.mode', 'practice']);
  else p.push(['stackgrade.score.overall', String(r.scores.overall)]);
  if (r.reason) p.push(['stackgrade.reason', r.reason]);
  if (r.runtime) p.push(['stackgrade.runtime', `${r.runtime.id} ${r.runtime.version}`]);
  if (r.provenance) {
    p.push(['stackgrade.version', r.provenance.stackgrade_version]);
    if (r.provenance.grader_seed !== null)
      p.push(['stackgrade.grader_seed', String(r.provenance.grader_seed)]);
  }
  if (r.signature) p.push(['stackgrade.signature.key_id', r.signature.key_id]);
  return p;
}

/** Options of {@link reportToJunit}. */
export interface JunitOptions {
  /** Recorded as a property of every suite (the API passes the submission's id). */
  submissionId?: string;
}

/**
 * A report as JUnit XML for CI servers and applicant-tracking systems, valid against the Jenkins JUnit
 * schema (xunit-plugin `junit-10.xsd`; test/fixtures/junit/junit.xsd is the stricter form the tests
 * check): one `testsuite` per category, in report order, with the category's score and the report's status,
 * overall score, challenge and provenance as `properties`; one `testcase` per check (`classname`
 * `<challenge>.<category>`). A `fail` check has a `failure`, an `error` check an `error` (both with the
 * check's message), a `not_assessed` check is `skipped` naming the check that blocked it. Characters XML 1.0
 * cannot carry (from candidate output in messages) become U+FFFD. Pure.
 */
export function reportToJunit(r: GradeReport, o: JunitOptions = {}): string {
  const count = (ts: readonly ReportTest[], s: ReportTest['status']): number =>
    ts.filter((t) => t.status === s).length;
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const root = doc.ele('testsuites', {
    name: `stackgrade ${r.challenge.id} v${r.challenge.version}`,
    tests: String(r.tests.length),
    failures: String(count(r.tests, 'fail')),
    errors: String(count(r.tests, 'error')),
    time: seconds(r.sandbox.timings_ms.total ?? 0),
  });
  const shared = reportProperties(r, o.submissionId);
  const timestamp = r.provenance ? junitTimestamp(r.provenance.graded_at) : undefined;
  CATEGORIES.forEach((category, index) => {
    const tests = r.tests.filter((t) => t.category === category);
    if (!tests.length) return;
    const suite = root.ele('testsuite', {
      name: category,
      id: String(index),
      package: r.challenge.id,
      tests: String(tests.length),
      failures: String(count(tests, 'fail')),
      errors: String(count(tests, 'error')),
      skipped: String(count(tests, 'not_assessed')),
      ...(timestamp ? { timestamp } : {}),
    });
    const props = suite.ele('properties');
    const score = r.scores.categories[category];
    if (score !== undefined) props.ele('property', { name: 'stackgrade.score', value: String(score) });
    for (const [name, value] of shared) props.ele('property', { name, value });
    for (const t of tests) {
      const tc = suite.ele('testcase', {
        name: `${t.name} [${t.id}]`,
        classname: `${r.challenge.id}.${category}`,
      });
      const message = t.message ?? '';
      if (t.status === 'fail') tc.ele('failure', { message: headline(message), type: 'fail' }).txt(message);
      else if (t.status === 'error')
        tc.ele('error', { message: headline(message), type: 'error' }).txt(message);
      else if (t.status === 'not_assessed') {
        const by = t.blocked_by
          ? `not assessed: its set-up broke on ${t.blocked_by.id}${t.blocked_by.category ? ` (${t.blocked_by.category})` : ''}`
          : 'not assessed';
        tc.ele('skipped', { message: headline(`${by}. ${message}`) }).txt(message);
      }
    }
  });
  return doc.end({ prettyPrint: true });
}
