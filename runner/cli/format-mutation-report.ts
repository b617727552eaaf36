import { CATEGORY_TITLES } from './format-report';
import type { MutationReport } from '../mutation/mutate-challenge';

/** Renders a mutation report as text: one line per mutant, then kill rates per mutant kind and category. */
export function formatMutationReport(r: MutationReport): string {
  const lines = [`${r.challenge}: ${r.mutants.length} mutants of the reference`];
  if (r.referenceFailures.length)
    lines.push(`  (the reference itself fails ${r.referenceFailures.join(', ')})`);
  for (const m of r.mutants) {
    const by = m.caughtBy.map((c) => `${c.id} [${c.category}]`).join(', ');
    lines.push(`  ${m.outcome === 'caught' ? '✓' : '✗'} ${m.id}  score ${m.score.toFixed(1)}`);
    lines.push(`      ${m.description}`);
    lines.push(m.outcome === 'error' ? `      error: ${m.error}` : `      caught by: ${by || 'nothing'}`);
  }
  lines.push('', 'caught per mutant kind:');
  for (const [kind, k] of Object.entries(r.byKind)) {
    if (k.total) lines.push(`  ${kind.padEnd(26)} ${k.caught}/${k.total}`);
  }
  for (const kind of r.notApplicable)
    lines.push(`  ${kind.padEnd(26)} not applicable (no site in the reference)`);
  lines.push('mutants caught by a check of each category:');
  for (const [cat, n] of Object.entries(r.byCategory)) {
    lines.push(`  ${(CATEGORY_TITLES[cat] ?? cat).padEnd(26)} ${n}`);
  }
  return lines.join('\n');
}
