import type { GraderCheck, GraderOutput, VerdictReason } from '../runner/contract/grade-result.schema';
import { CheckFailure, NotAssessed, type Check, type CheckContext, type PrepareContext } from './check';
import type { HttpClient as Client } from './http/client';
import { readGraderEnv, type GraderEnv } from './grader-env';
import { connectionLost, HttpClient, HttpError } from './http/client';
import { openServices, type PostgresService, type ServiceProbes } from './services';
import { CANDIDATE_STARTED_SIGNAL, emit } from './protocol';
import { Random } from './random';

/** Options of {@link runSuite}. */
export interface SuiteOptions {
  /** Path answering 200 when the service is up (polled until `STARTUP_MS`). */
  healthPath: string;
  /**
   * Reads what the checks need from the seeded data, into `ctx.state`, while the pod waits for the candidate
   * (a warm pod: before the submission arrives). It must not write: the candidate starts on the seed as it
   * is. Throwing here is a grader error, reported once the candidate answered.
   */
  prepare?: (ctx: PrepareContext) => Promise<void>;
  /**
   * Prepares shared state (tokens, fixtures) once the candidate answered, before the checks; throwing here
   * is a grader error.
   */
  setup?: (ctx: CheckContext) => Promise<void>;
  checks: readonly Check[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `path` until it answers 200 or `ms` pass; returns the last problem seen, or null when healthy. */
export async function waitForHealth(client: HttpClient, path: string, ms: number): Promise<string | null> {
  const until = Date.now() + ms;
  let last = 'no answer';
  while (Date.now() < until) {
    try {
      const r = await client.request({ path, timeoutMs: 2000 });
      if (r.status === 200) return null;
      last = `answered ${r.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(50);
  }
  return last;
}

/**
 * Whether the service refuses a connection now (one GET of `path`, 1 s budget): true only for a refused or
 * dropped connection, false for any answer and for a timeout (a hung service is alive).
 */
async function serviceRefuses(client: HttpClient, path: string): Promise<boolean> {
  try {
    await client.request({ path, timeoutMs: 1000 });
    return false;
  } catch (err) {
    return connectionLost(err);
  }
}

/** Runs one check under its time budget; `lost` is called when it failed on a lost connection. */
async function runOne(check: Check, ctx: CheckContext, lost: () => void): Promise<GraderCheck> {
  const started = Date.now();
  ctx.evidence = {};
  const forbidden: string[] = [];
  ctx.forbidInServiceLog = (values) => void forbidden.push(...values.filter((v) => v.length >= 4));
  const logSearch = (): { log_must_not_contain?: string[] } =>
    forbidden.length ? { log_must_not_contain: [...new Set(forbidden)].slice(0, 5000) } : {};
  let timer: NodeJS.Timeout | undefined;
  const budget = check.timeoutMs ?? 60_000;
  try {
    await Promise.race([
      check.run(ctx),
      new Promise<never>(
        (_, rej) =>
          (timer = setTimeout(
            () => rej(new CheckFailure(`the check did not finish within ${budget / 1000} s`)),
            budget,
          )),
      ),
    ]);
    return {
      id: check.id,
      status: 'pass',
      message: null,
      evidence: ctx.evidence,
      duration_ms: Date.now() - started,
      ...logSearch(),
    };
  } catch (err) {
    const evidence = {
      ...ctx.evidence,
      ...(err instanceof CheckFailure && err.evidence !== undefined ? { detail: err.evidence } : {}),
      http: ctx.app.last(4),
    };
    if (err instanceof NotAssessed)
      return {
        id: check.id,
        status: 'not_assessed',
        message: err.message,
        evidence: { ...evidence, ...(err.evidence !== undefined ? { detail: err.evidence } : {}) },
        ...(err.blockedBy ? { blocked_by: err.blockedBy } : {}),
        duration_ms: Date.now() - started,
      };
    if (err instanceof CheckFailure)
      return {
        id: check.id,
        status: 'fail',
        message: err.message,
        evidence,
        duration_ms: Date.now() - started,
      };
    if (err instanceof HttpError) {
      if (connectionLost(err)) lost();
      return {
        id: check.id,
        status: 'fail',
        message: `The service did not answer properly: ${err.message}`,
        evidence,
        duration_ms: Date.now() - started,
      };
    }
    // Anything else is a fault of the grader or the platform, not the candidate.
    return {
      id: check.id,
      status: 'error',
      message: `grader error: ${err instanceof Error ? err.message : String(err)}`,
      evidence: { ...evidence, stack: err instanceof Error ? err.stack : undefined },
      duration_ms: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The checks in run order: as given, except those marked `runLast`, which follow all others in their order.
 * With `only` (a practice run), just the checks whose id it names.
 */
export function orderChecks(checks: readonly Check[], only: readonly string[] | null = null): Check[] {
  const chosen = only ? checks.filter((c) => only.includes(c.id)) : checks;
  return [...chosen.filter((c) => !c.runLast), ...chosen.filter((c) => c.runLast)];
}

/**
 * Emits `done` and exits 0 once stdout has taken every byte. `process.exit` right after a write to a pipe
 * drops what the pipe has not taken yet (measured: a 200 kB line was cut at 64 KiB), so exit waits for the
 * write's callback; the returned promise never settles, so a caller's `return finish(...)` ends its flow.
 */
function finish(output: GraderOutput): Promise<never> {
  emit({ event: 'done', output }, () => process.exit(0));
  return new Promise<never>(() => undefined);
}

/**
 * The context of `prepare` (and, extended, of every check): `db`/`refDb` are the first PostgreSQL service's
 * probes; on a challenge without one, reading `db` throws (a grader error: the hidden tests use a service
 * the challenge does not declare).
 */
function prepareContext(
  services: ServiceProbes,
  pg: PostgresService | null,
  ref: Client | null,
  rng: Random,
  secrets: Readonly<Record<string, string>>,
): PrepareContext {
  const ctx = { services, ref, refDb: pg?.ref ?? null, rng, secrets, state: new Map<string, unknown>() };
  return Object.defineProperty(ctx, 'db', {
    enumerable: true,
    get() {
      if (!pg) throw new Error('ctx.db: the challenge has no PostgreSQL service');
      return pg.db;
    },
  }) as PrepareContext;
}

/**
 * The grader's main loop (Exercism's contract: exit 0 whenever it ran): verifies the database canary, waits
 * for the reference while it opens its database connections, starts `prepare`, emits `awaiting-candidate`
 * and waits for {@link CANDIDATE_STARTED_SIGNAL} (the runner sends it once the candidate's container
 * started; a warm pod waits here), then for the candidate's health endpoint, waits for `prepare`, runs
 * `setup`, then every check in order (only those of `GRADER_ONLY_CHECKS` when set: a practice run), each
 * under its time budget, emitting one event per check and a final `done` document.
 */
export async function runSuite(opts: SuiteOptions, env: GraderEnv = readGraderEnv()): Promise<never> {
  // Armed before `awaiting-candidate` is emitted, so the runner's signal cannot come before the handler (an
  // unhandled SIGUSR2 to a PID-namespace init is dropped, pid_namespaces(7)). Signal handlers do not keep
  // Node.js alive, so a long timer does until the signal comes.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const candidateStarted = new Promise<void>((resolve) =>
    process.once(CANDIDATE_STARTED_SIGNAL, () => {
      clearInterval(keepAlive);
      resolve();
    }),
  );
  const setupError = (reason: VerdictReason, message: string): Promise<never> =>
    finish({ version: 1, setup_error: { reason, message }, checks: [] });
  const services = openServices(env.services);
  // The grader's database connections are opened (and every canary checked) while the reference starts, so
  // that neither the setup nor a check waits for one after the candidate answered (~100 ms each under gVisor).
  const connected = services.verifyAndConnect();
  const ref = env.refUrl ? new HttpClient(env.refUrl) : null;
  if (ref) {
    const problem = await waitForHealth(ref, opts.healthPath, 90_000);
    if (problem) return setupError('internal_error', `the reference solution did not start: ${problem}`);
    emit({ event: 'ref-ready' });
  }
  const refused = await connected;
  if (refused) return setupError('internal_error', `the grader could not use a database: ${refused}`);
  const firstPg = Object.values(services.probes).find((s) => s.kind === 'postgres');
  const base = prepareContext(services.probes, firstPg ?? null, ref, new Random(env.seed), env.secrets);
  // Runs while the candidate is awaited and starts; its error, if any, is thrown once the candidate answered.
  const prepared = (opts.prepare?.(base) ?? Promise.resolve()).then(
    () => ({ failed: false as const }),
    (err: unknown) => ({ failed: true as const, err }),
  );
  // The pod is ready for a candidate (a warm pod may wait here for minutes); the candidate's STARTUP_MS
  // starts when the runner says its container started.
  emit({ event: 'awaiting-candidate' });
  await candidateStarted;
  const app = new HttpClient(env.appUrl);
  const problem = await waitForHealth(app, opts.healthPath, env.startupMs);
  if (problem) {
    return setupError(
      'setup_failed',
      `The service did not answer GET ${opts.healthPath} with 200 within ${env.startupMs / 1000} s (${problem}).`,
    );
  }
  emit({ event: 'candidate-ready' });

  const p = await prepared;
  if (p.failed) throw p.err;
  const ctx: CheckContext = Object.assign(base, { app, evidence: {}, forbidInServiceLog: () => undefined });
  if (opts.setup) await opts.setup(ctx);
  const results: GraderCheck[] = [];
  let lostConnection = false;
  for (const check of orderChecks(opts.checks, env.onlyChecks)) {
    const r = await runOne(check, ctx, () => (lostConnection = true));
    results.push(r);
    emit({ event: 'check', check: r });
  }
  const down = lostConnection && (await serviceRefuses(app, opts.healthPath));
  return finish({ version: 1, setup_error: null, checks: results, ...(down ? { service_down: true } : {}) });
}
