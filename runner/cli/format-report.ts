import { CATEGORIES } from '../contract/categories';
import type { GradeReport } from '../contract/grade-result.schema';

/** Category titles as printed in reports. */
export const CATEGORY_TITLES: Record<string, string> = {
  correctness: 'Correctness',
  api_design: 'API design',
  query_optimization: 'Query optimization',
  security: 'Security',
  performance: 'Performance',
};

/**
 * A report as plain text for a terminal: status, per-category scores, every failed check with its message,
 * then the checks not assessed with the check (and category) that caused it, the pod time and the three
 * slowest checks (when the report has check durations: the owner's view).
 */
export function formatReport(r: GradeReport, title?: string): string {
  const lines: string[] = [];
  if (r.mode === 'practice') return formatPracticeReport(r, title);
  lines.push(
    `${title ? `${title}: ` : ''}${r.status.toUpperCase()}  overall ${r.scores.overall.toFixed(1)} / 100${r.reason ? `  (${r.reason})` : ''}`,
  );
  if (r.message) lines.push(`  ${r.message.split('\n')[0]}`);
  for (const c of CATEGORIES) {
    const s = r.scores.categories[c];
    if (s === undefined) continue;
    const ts = r.tests.filter((t) => t.category === c);
    lines.push(
      `  ${CATEGORY_TITLES[c]!.padEnd(20)} ${s.toFixed(1).padStart(5)}   ${ts.filter((t) => t.status === 'pass').length}/${ts.length} checks`,
    );
  }
  const failed = r.tests.filter((t) => t.status !== 'pass' && t.status !== 'not_assessed');
  if (failed.length) {
    lines.push('  Failed checks:');
    for (const t of failed)
      lines.push(`    ✗ ${t.id} — ${t.name}\n        ${(t.message ?? '').split('\n')[0]}`);
  }
  const unassessed = r.tests.filter((t) => t.status === 'not_assessed');
  if (unassessed.length) {
    lines.push('  Not assessed (scored as not earned; caused by another check):');
    for (const t of unassessed) {
      const by = t.blocked_by
        ? `  [caused by ${t.blocked_by.id}${t.blocked_by.category ? `, ${CATEGORY_TITLES[t.blocked_by.category] ?? t.blocked_by.category}` : ''}]`
        : '';
      lines.push(`    ? ${t.id} — ${t.name}${by}\n        ${(t.message ?? '').split('\n')[0]}`);
    }
  }
  lines.push(
    `  sandbox: ${r.sandbox.runtime}, ${Math.round((r.sandbox.timings_ms.total ?? 0) / 100) / 10} s in the pod`,
  );
  const timed = r.tests.filter((t) => t.duration_ms !== undefined);
  if (timed.length) {
    const slowest = [...timed].sort((a, b) => b.duration_ms! - a.duration_ms!).slice(0, 3);
    lines.push(
      `  slowest checks: ${slowest.map((t) => `${t.id} ${(t.duration_ms! / 1000).toFixed(1)} s`).join(', ')}`,
    );
  }
  return lines.join('\n');
}

/** A practice report: every practice check with its status and message (practice runs are not scored). */
function formatPracticeReport(r: GradeReport, title?: string): string {
  const passed = r.tests.filter((t) => t.status === 'pass').length;
  const lines = [
    `${title ? `${title}: ` : ''}PRACTICE  ${passed}/${r.tests.length} practice checks pass (not scored)${r.reason ? `  (${r.reason})` : ''}`,
  ];
  for (const t of r.tests) {
    lines.push(`  ${t.status === 'pass' ? '✓' : '✗'} ${t.id} — ${t.name}`);
    if (t.status !== 'pass') lines.push(`      ${(t.message ?? '').split('\n')[0]}`);
  }
  return lines.join('\n');
}
