import { parseGraderServices, type GraderServiceEnv } from '../runner/contract/grader-services.schema';

/** What the runner passes to the grader container (graderSpec, runner/sandbox/container-specs.ts). */
export interface GraderEnv {
  /** Base URL of the candidate's service, e.g. http://127.0.0.1:8080. */
  appUrl: string;
  /** Base URL of the reference solution when the challenge compares performance. */
  refUrl: string | null;
  /** The pod's database services in manifest order: superuser URLs, canaries, the candidate's user. */
  services: GraderServiceEnv[];
  /** Milliseconds the candidate's service has to answer its health endpoint. */
  startupMs: number;
  /** Seed of the grader's randomized choices. */
  seed: number;
  /**
   * Ids of the only checks to run (a practice run: the manifest's `practice: true` checks), or null for
   * every check. From `GRADER_ONLY_CHECKS`, comma-separated.
   */
  onlyChecks: string[] | null;
  /** The pod's generated secrets by variable name (the manifest's `secrets`), e.g. a JWT signing key. */
  secrets: Readonly<Record<string, string>>;
}

/** Parses `SECRETS` (a JSON object of strings); absent means none. Throws on anything else. */
export function parseSecrets(text: string | undefined): Record<string, string> {
  if (!text) return {};
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error('grader: SECRETS is not a JSON object');
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw new Error(`grader: SECRETS.${k} is not a string`);
    out[k] = x;
  }
  return out;
}

/** Reads {@link GraderEnv} from `process.env`; throws naming the first missing or malformed variable. */
export function readGraderEnv(env: NodeJS.ProcessEnv = process.env): GraderEnv {
  const need = (k: string): string => {
    const v = env[k];
    if (!v) throw new Error(`grader: missing ${k}`);
    return v;
  };
  let services: GraderServiceEnv[];
  try {
    services = parseGraderServices(need('SERVICES'));
  } catch (err) {
    throw new Error(`grader: SERVICES is not a valid service list: ${String(err)}`);
  }
  return {
    appUrl: need('APP_URL'),
    refUrl: env.REF_URL || null,
    services,
    startupMs: Number(env.STARTUP_MS ?? 60_000),
    seed: Number(env.GRADER_SEED ?? 1),
    onlyChecks: env.GRADER_ONLY_CHECKS
      ? env.GRADER_ONLY_CHECKS.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    secrets: parseSecrets(env.SECRETS),
  };
}
