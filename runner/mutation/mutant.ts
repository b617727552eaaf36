import type { SubmissionFiles } from '../archive';

/**
 * The built-in defects `stackgrade challenge mutate` injects into a challenge's reference (docs/grading.md,
 * "Validate and mutate"): a missing index, a missing ownership filter (OWASP API1:2023 BOLA),
 * SQL built by concatenation (OWASP API8:2023 / CWE-89), missing input validation, a per-row query (N+1),
 * for MongoDB and Redis code a MongoDB index never created and a Redis key that never expires, and for
 * authentication code a verification call that always succeeds, a rate-limit counter never incremented and a
 * JWT verification without an algorithm allow-list (OWASP API2:2023 Broken Authentication, RFC 8725 §3.1).
 */
export const MUTANT_KINDS = [
  'drop-index',
  'remove-ownership-filter',
  'sql-concatenation',
  'remove-validation',
  'per-row-query',
  'drop-mongo-index',
  'drop-cache-expiry',
  'remove-verification-call',
  'drop-rate-limit-increment',
  'accept-any-algorithm',
] as const;

/** One built-in defect class. */
export type MutantKind = (typeof MUTANT_KINDS)[number];

/** One mutant: the reference with exactly one defect. */
export interface Mutant {
  /** Stable id, e.g. `drop-index:orders_customer_created_idx`, `remove-validation:src/orders.js:parseItems`. */
  id: string;
  kind: MutantKind;
  /** What was changed, in one sentence. */
  description: string;
  /** The complete solution to grade. */
  files: SubmissionFiles;
}

/** A replacement of `[start, end)` (UTF-16 offsets) in one file's text. */
export interface SourceEdit {
  start: number;
  end: number;
  replacement: string;
}

/** Applies non-overlapping edits to `text` (in any order) and returns the new text. */
export function applyEdits(text: string, edits: readonly SourceEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  }
  return out;
}
