import type { GradeReport } from './grade-result.schema';

/**
 * Field names a MongoDB-compatible store may refuse: a leading `$` and a `.` anywhere (MongoDB manual,
 * "Field Names": stores older than 5.0 and FerretDB refuse them; newer ones accept them with caveats). The
 * manual's advice is to replace them with their full-width Unicode forms, which is what this does.
 */
const FULLWIDTH_DOLLAR = '\uFF04';
const FULLWIDTH_DOT = '\uFF0E';

/** `key` with a leading `$` as `＄` and every `.` as `．`; any other key is returned unchanged. */
export function storeSafeKey(key: string): string {
  const k = key.startsWith('$') ? FULLWIDTH_DOLLAR + key.slice(1) : key;
  return k.includes('.') ? k.split('.').join(FULLWIDTH_DOT) : k;
}

/**
 * A deep copy of a JSON value whose object keys are all {@link storeSafeKey}s (values are never changed).
 * Arrays and plain objects are walked; other values are returned as they are.
 */
export function storeSafeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(storeSafeValue);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [storeSafeKey(k), storeSafeValue(v)]),
  );
}

/**
 * The report with every check's `evidence` made store-safe. Evidence quotes what a candidate's service
 * answered (a body with `{"$gt": …}`, a key with a dot), and a store that refuses such a key would refuse the
 * whole report, leaving a graded submission without its verdict. Applied before the report is signed, so the
 * stored report is the signed one.
 */
export function storeSafeReport(report: GradeReport): GradeReport {
  return {
    ...report,
    tests: report.tests.map((t) =>
      t.evidence === undefined ? t : { ...t, evidence: storeSafeValue(t.evidence) },
    ),
  };
}
