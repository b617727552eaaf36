import type { GradeReport, ReportTest } from './grade-result.schema';

/** Message a candidate sees for a failed `hidden` check. */
export const HIDDEN_CHECK_MESSAGE = 'This hidden check failed; its details are not shown.';

/** Message a candidate sees for a `hidden` check that could not be assessed (its set-up failed). */
export const HIDDEN_NOT_ASSESSED_MESSAGE =
  "This hidden check could not be assessed: its set-up through the service's API did not succeed.";

function redactTest(owner: ReportTest, index: number): ReportTest {
  // How long a check ran is for the owner (grading cost), never the candidate's feedback.
  const { duration_ms: _durationMs, ...t } = owner;
  if (t.visibility === 'full') return t;
  const { evidence: _evidence, ...rest } = t;
  if (t.visibility === 'hint') return rest;
  const { blocked_by: _blockedBy, ...bare } = rest;
  return {
    ...bare,
    name: `Hidden check ${index + 1}`,
    id: `hidden-${index + 1}`,
    message:
      t.status === 'pass'
        ? null
        : t.status === 'not_assessed'
          ? HIDDEN_NOT_ASSESSED_MESSAGE
          : HIDDEN_CHECK_MESSAGE,
    output: null,
  };
}

/**
 * The candidate's view of a report (feedback tiers of the manifest's per-check `visibility`): every check
 * loses its `duration_ms` (owner-only); `full` keeps everything else; `hint` keeps the title and message but drops the evidence; `hidden` keeps only status,
 * category and weight (a `not_assessed` one loses the id of the check that blocked it) (so the scores still add up), replacing title, id and message. Scores, status and the
 * service log (the candidate's own output) are unchanged. The `signature` is dropped: it covers the whole
 * report, which this view no longer is; the provenance stays but for its `runner` (which host graded is the
 * operator's business). Pure: the stored report, which the
 * challenge's owner sees, is not modified.
 */
export function redactReportForCandidate(report: GradeReport): GradeReport {
  const { signature: _signature, provenance, ...rest } = report;
  const { runner: _runner, ...provenanceSeen } = provenance ?? {};
  return {
    ...rest,
    ...(provenance ? { provenance: provenanceSeen as NonNullable<GradeReport['provenance']> } : {}),
    tests: report.tests.map(redactTest),
  };
}
