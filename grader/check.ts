import type { HttpClient } from './http/client';
import type { PgProbe } from './postgres/pg-probe';
import type { Random } from './random';
import type { ServiceProbes } from './services';

/** Thrown by a check to fail with a candidate-facing message and owner-facing evidence. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
  constructor(
    message: string,
    readonly evidence?: unknown,
  ) {
    super(message);
  }
}

/**
 * Thrown by a check whose set-up through the candidate's API cannot be achieved at all (for example no order
 * can be created): the check ends `not_assessed`, not `fail`, because the property it judges was never
 * observed. `blockedBy` names the check that judges the property that broke the set-up (the rule: a check
 * judges its own property and nothing else).
 */
export class NotAssessed extends Error {
  override name = 'NotAssessed';
  constructor(
    message: string,
    readonly blockedBy?: string,
    readonly evidence?: unknown,
  ) {
    super(message);
  }
}

/** Fails the running check unless `cond` holds. */
export function expect(cond: unknown, message: string, evidence?: unknown): asserts cond {
  if (!cond) throw new CheckFailure(message, evidence);
}

/** What a check gets: clients for the candidate and reference, superuser probes of their databases, a seeded PRNG. */
export interface CheckContext {
  app: HttpClient;
  /** The first PostgreSQL service's superuser probe (reading it throws when the challenge has none). */
  db: PgProbe;
  /** Every database service of the pod by manifest name, as the probe of its kind (grader/services.ts). */
  services: ServiceProbes;
  /** The reference solution and its twin database (only for challenges that compare performance). */
  ref: HttpClient | null;
  refDb: PgProbe | null;
  rng: Random;
  /** The pod's generated secrets by variable name (the manifest's `secrets`, e.g. `JWT_SECRET`). */
  secrets: Readonly<Record<string, string>>;
  /** Extra evidence a check attaches whether it passes or fails. */
  evidence: Record<string, unknown>;
  /**
   * Values the service must never write to its log (e.g. the passwords this check sent). The grader cannot
   * read that log: the runner searches it after the run and fails the check when one is there.
   */
  forbidInServiceLog(values: readonly string[]): void;
  /** Shared per-run state a challenge's fixtures put here (tokens, chosen ids). */
  state: Map<string, unknown>;
}

/**
 * What a challenge's `prepare` step sees (grader/suite.ts SuiteOptions): the databases, the reference, the
 * run's random source and state, but not the candidate, which has not started yet.
 */
export type PrepareContext = Pick<
  CheckContext,
  'db' | 'services' | 'ref' | 'refDb' | 'rng' | 'state' | 'secrets'
>;

/** A hidden check: its stable id (matching challenge.yaml) and the function that decides it. */
export interface Check {
  id: string;
  /** Per-check time budget, ms (default 60 000); running over it fails the check. */
  timeoutMs?: number;
  /**
   * Run after every other check whatever its position (probes that lock accounts or exhaust limiters, such as
   * a login rate limit: docs/grading.md, "Check order"). Checks marked so keep their relative order.
   */
  runLast?: boolean;
  run: (ctx: CheckContext) => Promise<void>;
}

/** Declares a check (identity helper for type inference and readability). */
export function defineCheck(
  id: string,
  run: (ctx: CheckContext) => Promise<void>,
  opts: { timeoutMs?: number; runLast?: boolean } = {},
): Check {
  return { id, run, ...opts };
}
