import { CheckFailure, type CheckContext } from './check';

/**
 * OWASP API Security Top 10 2023 ids (https://owasp.org/API-Security/editions/2023/en/0x11-t10/), put in the
 * evidence of every security probe so a report names the category a finding belongs to.
 */
export type OwaspApiId =
  | 'API1:2023'
  | 'API2:2023'
  | 'API3:2023'
  | 'API4:2023'
  | 'API5:2023'
  | 'API6:2023'
  | 'API7:2023'
  | 'API8:2023'
  | 'API9:2023'
  | 'API10:2023';

/**
 * The outcome of one SDK probe: pass/fail, a candidate-facing message when it failed, and the evidence that
 * decided it (requests, counters, plans). Probes never throw on a candidate's fault; they return a verdict,
 * and {@link must} turns a failing one into a check failure.
 */
export interface Verdict {
  pass: boolean;
  /** Why it failed, in words a candidate can act on; null when it passed. */
  message: string | null;
  /** What decided it (JSON-serialisable). */
  evidence: Record<string, unknown>;
  /** OWASP API Security Top 10 2023 category, for security probes. */
  owasp?: OwaspApiId;
}

/** A passing verdict with its evidence. */
export function passed(evidence: Record<string, unknown> = {}, owasp?: OwaspApiId): Verdict {
  return {
    pass: true,
    message: null,
    evidence: owasp ? { owasp, ...evidence } : evidence,
    ...(owasp ? { owasp } : {}),
  };
}

/** A failing verdict: `message` for the candidate, `evidence` for the owner (and for `full` feedback). */
export function failed(message: string, evidence: Record<string, unknown> = {}, owasp?: OwaspApiId): Verdict {
  return {
    pass: false,
    message,
    evidence: owasp ? { owasp, ...evidence } : evidence,
    ...(owasp ? { owasp } : {}),
  };
}

/** Passes when every verdict passes; the message is the first failure's, the evidence is keyed by `labels`. */
export function allOf(verdicts: Record<string, Verdict>): Verdict {
  const evidence: Record<string, unknown> = {};
  let first: Verdict | undefined;
  for (const [k, v] of Object.entries(verdicts)) {
    evidence[k] = { pass: v.pass, ...v.evidence };
    if (!v.pass && !first) first = v;
  }
  return first ? { ...first, evidence } : { pass: true, message: null, evidence };
}

/**
 * Records a verdict's evidence on the running check (under `key`, default `probe`) and fails the check with
 * the verdict's message (or `message`, to keep a challenge's established wording) when it did not pass.
 *
 * @throws CheckFailure when `v.pass` is false.
 */
export function must(ctx: CheckContext, v: Verdict, opts: { key?: string; message?: string } = {}): void {
  const key = opts.key ?? 'probe';
  ctx.evidence[key] = v.evidence;
  if (!v.pass) throw new CheckFailure(opts.message ?? v.message ?? 'The check failed.', undefined);
}
