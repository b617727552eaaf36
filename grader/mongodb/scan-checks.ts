import { failed, passed, type Verdict } from '../verdict';
import { scanRatio, type MongoOpStats } from './explain-analysis';

/** Options of {@link indexedMongoReads}. */
export interface IndexedReadOptions {
  label: string;
  /** Largest accepted `docsExamined / max(nReturned, 1)` (default 2, docs/grading.md M-02). */
  maxRatio?: number;
  /** Documents examined below which an operation is too small to judge (default 100). */
  minDocs?: number;
}

/**
 * Passes when no operation scanned a whole collection (`COLLSCAN`, M-03) nor examined more than `maxRatio`
 * documents per document returned (M-02), ignoring operations that examined fewer than `minDocs` documents
 * (small collections may legitimately be scanned).
 */
export function indexedMongoReads(
  ops: readonly (MongoOpStats & { ns?: string })[],
  o: IndexedReadOptions,
): Verdict {
  const maxRatio = o.maxRatio ?? 2;
  const minDocs = o.minDocs ?? 100;
  const bad = ops.filter((op) => op.docsExamined >= minDocs && (op.collscan || scanRatio(op) > maxRatio));
  const evidence = {
    ops: ops.map((op) => ({
      ns: op.ns ?? null,
      stages: op.stages,
      docsExamined: op.docsExamined,
      keysExamined: op.keysExamined,
      nReturned: op.nReturned,
    })),
  };
  return bad.length
    ? failed(
        `${o.label} examined ${bad[0]!.docsExamined} documents to return ${bad[0]!.nReturned}${bad[0]!.collscan ? ' (COLLSCAN)' : ''}: an index on the filtered fields is missing.`,
        evidence,
      )
    : passed(evidence);
}
