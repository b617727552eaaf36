/** What the runner passes to the grader container (runner/sandbox/pod.ts). */
export interface GraderEnv {
  /** Base URL of the candidate's service, e.g. http://127.0.0.1:8080. */
  appUrl: string;
  /** Base URL of the reference solution when the challenge compares performance. */
  refUrl: string | null;
  /** Superuser connection string of the candidate's database. */
  dbAdminUrl: string;
  /** Superuser connection string of the reference's twin database. */
  refDbAdminUrl: string | null;
  /** Value the runner wrote into stackgrade_private.canary: proves the grader reads the real database. */
  dbCanary: string;
  /** The candidate's database role: statistics are filtered by it. */
  candidateRole: string;
  /** Milliseconds the candidate's service has to answer its health endpoint. */
  startupMs: number;
  /** Seed of the grader's randomized choices. */
  seed: number;
  /**
   * Ids of the only checks to run (a practice run: the manifest's `practice: true` checks), or null for
   * every check. From `GRADER_ONLY_CHECKS`, comma-separated.
   */
  onlyChecks: string[] | null;
}

/** Reads {@link GraderEnv} from `process.env`; throws naming the first missing variable. */
export function readGraderEnv(env: NodeJS.ProcessEnv = process.env): GraderEnv {
  const need = (k: string): string => {
    const v = env[k];
    if (!v) throw new Error(`grader: missing ${k}`);
    return v;
  };
  return {
    appUrl: need('APP_URL'),
    refUrl: env.REF_URL || null,
    dbAdminUrl: need('DB_ADMIN_URL'),
    refDbAdminUrl: env.REF_DB_ADMIN_URL || null,
    dbCanary: env.DB_CANARY ?? '',
    candidateRole: need('CANDIDATE_ROLE'),
    startupMs: Number(env.STARTUP_MS ?? 60_000),
    seed: Number(env.GRADER_SEED ?? 1),
    onlyChecks: env.GRADER_ONLY_CHECKS
      ? env.GRADER_ONLY_CHECKS.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
  };
}
