import type { PgProbe } from './pg-probe';
import { analyzePlan, type PlanFinding, type PlanThresholds } from './plan-analysis';

/** One executed plan auto_explain logged for the candidate's role. */
export interface CapturedPlan {
  query: string;
  plan: unknown;
}

const LINE_START = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;

/**
 * Executed plans in a server log excerpt: auto_explain's `duration: … ms  plan:` entries (log_format json)
 * of lines whose prefix names `user=<role>` (the image's `log_line_prefix = '%m [%p] user=%u '`).
 * Continuation lines are those not starting with a timestamp.
 */
export function parseAutoExplainLog(log: string, role: string): CapturedPlan[] {
  const out: CapturedPlan[] = [];
  const lines = log.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.includes(`user=${role} `) || !/LOG:\s+duration: [\d.]+ ms\s+plan:/.test(l)) continue;
    const body: string[] = [];
    while (i + 1 < lines.length && !LINE_START.test(lines[i + 1]!)) body.push(lines[++i]!);
    try {
      const doc = JSON.parse(body.join('\n')) as { 'Query Text'?: string; Plan?: unknown };
      out.push({ query: String(doc['Query Text'] ?? ''), plan: doc });
    } catch {
      // A truncated entry (log read while being written): skipped.
    }
  }
  return out;
}

/**
 * Runs `fn` with auto_explain logging every statement's executed plan (JSON, ANALYZE with BUFFERS, no timing:
 * docs/grading.md, "PostgreSQL probes") and returns the plans the candidate's role ran, with their findings
 * ({@link analyzePlan}: large seq scans, inner seq scans of nested loops, sort spills, hash batches, large
 * OFFSETs). The settings are reset afterwards. Functional phase only: ANALYZE adds per-row overhead.
 */
export async function capturePlans<T>(
  db: PgProbe,
  fn: () => Promise<T>,
  thresholds: PlanThresholds = {},
): Promise<{ result: T; plans: CapturedPlan[]; findings: PlanFinding[] }> {
  const settings: [string, string][] = [
    ['auto_explain.log_format', 'json'],
    ['auto_explain.log_analyze', 'on'],
    ['auto_explain.log_buffers', 'on'],
    ['auto_explain.log_timing', 'off'],
    ['auto_explain.log_nested_statements', 'on'],
    ['auto_explain.log_min_duration', '0'],
  ];
  for (const [k, v] of settings.slice(0, -1)) await db.pool.query(`ALTER SYSTEM SET ${k} = '${v}'`);
  const offset = await db.logSize();
  await db.setSystem('auto_explain.log_min_duration', '0');
  let result: T;
  const marker = `stackgrade-plans-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  try {
    result = await fn();
  } finally {
    for (const [k] of settings.slice(0, -1)) await db.pool.query(`ALTER SYSTEM RESET ${k}`);
    await db.setSystem('auto_explain.log_min_duration', null);
    // A statement the server logs after the window: once it is in the log, everything before it is too.
    await db.pool.query(`DO $$ BEGIN RAISE WARNING '${marker}'; END $$`);
  }
  let log = '';
  for (let i = 0; i < 50 && !log.includes(marker); i++) {
    log = await db.readLog(offset);
    if (!log.includes(marker)) await new Promise((r) => setTimeout(r, 100));
  }
  const plans = parseAutoExplainLog(log, db.candidateRole);
  const sizes = await db.tableSizes();
  return { result, plans, findings: plans.flatMap((p) => analyzePlan(p.plan, sizes, thresholds)) };
}
