import type { GraderCheck } from '../contract/grade-result.schema';

/** Bytes of the candidate's log that are searched for forbidden values (the newest ones). */
export const LOG_SCAN_MAX_BYTES = 8 * 1024 * 1024;

/**
 * For each check that listed `log_must_not_contain`, how many of those values occur in `log` (the
 * candidate's stdout and stderr); checks without leaks are absent. Plain substring search: a value is a
 * secret the grader made up (a random password), so any occurrence is the service writing it out.
 */
export function countLogLeaks(log: string, checks: readonly GraderCheck[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of checks) {
    const found = (c.log_must_not_contain ?? []).filter((v) => log.includes(v)).length;
    if (found > 0) out[c.id] = found;
  }
  return out;
}

/** Whether any check asks for a log search (the runner reads the whole log only then). */
export const wantsLogScan = (checks: readonly GraderCheck[]): boolean =>
  checks.some((c) => (c.log_must_not_contain?.length ?? 0) > 0);
