/**
 * What a MongoDB plan or profiler entry says about one operation (docs/grading.md M-02..M-04):
 * documents and keys examined, documents returned, the stages of the winning plan, and whether it scanned
 * the whole collection (`COLLSCAN`) or sorted in memory (`SORT`).
 */
export interface MongoOpStats {
  docsExamined: number;
  keysExamined: number;
  nReturned: number;
  stages: string[];
  collscan: boolean;
  blockingSort: boolean;
}

type Doc = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);

function stagesOf(plan: unknown, out: string[] = []): string[] {
  if (!plan || typeof plan !== 'object') return out;
  const p = plan as Doc;
  if (typeof p.stage === 'string') out.push(p.stage);
  // Classic engine: inputStage/inputStages; SBE: queryPlan.
  for (const k of ['inputStage', 'queryPlan', 'outerStage', 'innerStage']) stagesOf(p[k], out);
  if (Array.isArray(p.inputStages)) for (const s of p.inputStages) stagesOf(s, out);
  return out;
}

/**
 * Reads `explain('executionStats')` output of a find or aggregate (MongoDB ≥ 4.4: `queryPlanner.winningPlan`,
 * with `queryPlan` under it for the slot-based engine; `executionStats.totalDocsExamined`, `totalKeysExamined`,
 * `nReturned`). Returns null when the document has neither (FerretDB 1.x answers explain with a SQLite
 * plan and no executionStats).
 */
export function explainStats(explain: unknown): MongoOpStats | null {
  if (!explain || typeof explain !== 'object') return null;
  const e = explain as Doc;
  // aggregate explains may nest the cursor stage: stages[0].$cursor.
  const cursor = Array.isArray(e.stages)
    ? ((e.stages[0] as Doc | undefined)?.$cursor as Doc | undefined)
    : undefined;
  const src = cursor ?? e;
  const qp = src.queryPlanner as Doc | undefined;
  const es = src.executionStats as Doc | undefined;
  if (!qp?.winningPlan || !es) return null;
  const stages = stagesOf(qp.winningPlan);
  return {
    docsExamined: num(es.totalDocsExamined),
    keysExamined: num(es.totalKeysExamined),
    nReturned: num(es.nReturned),
    stages,
    collscan: stages.includes('COLLSCAN'),
    blockingSort: stages.includes('SORT'),
  };
}

/**
 * Reads one `system.profile` document (fields `docsExamined`, `keysExamined`, `nreturned`, `planSummary`
 * such as `COLLSCAN` or `IXSCAN { customer_id: 1 }`, `hasSortStage`: MongoDB "Database Profiler Output").
 */
export function profileStats(entry: unknown): MongoOpStats {
  const p = (entry ?? {}) as Doc;
  const summary = typeof p.planSummary === 'string' ? p.planSummary : '';
  // "IXSCAN { a: 1, b: -1 }, SORT": drop key patterns, then split the stages.
  const stages = summary
    .replace(/\{[^}]*\}/g, '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return {
    docsExamined: num(p.docsExamined),
    keysExamined: num(p.keysExamined),
    nReturned: num(p.nreturned),
    stages,
    collscan: stages.includes('COLLSCAN'),
    blockingSort: p.hasSortStage === true,
  };
}

/** `docsExamined / max(nReturned, 1)`: ≤ 2 (+ a small constant) means an index served the filter (M-02). */
export function scanRatio(s: MongoOpStats): number {
  return s.docsExamined / Math.max(s.nReturned, 1);
}
