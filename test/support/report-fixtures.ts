/** Builders of manifests, grader checks and pod outcomes for tests of reports (buildReport, redaction, API views). */
import {
  challengeManifestSchema,
  type ChallengeManifest,
} from '../../runner/contract/challenge-manifest.schema';
import type { GraderCheck } from '../../runner/contract/grade-result.schema';
import type { PodOutcome } from '../../runner/sandbox/pod-definition';

/** A valid manifest of challenge `demo` (one PostgreSQL service) with these checks and category weights. */
export function demoManifest(
  checks: {
    id: string;
    title: string;
    category: string;
    weight: number;
    visibility?: string;
    practice?: boolean;
  }[],
  categories: Record<string, number>,
): ChallengeManifest {
  return challengeManifestSchema.parse({
    id: 'demo',
    version: 1,
    title: 'Demo',
    summary: 'demo',
    runtimes: ['node22'],
    services: [
      { kind: 'postgres', name: 'db', image: 'db', port: 5432, database: 'd', candidate_role: 'app' },
    ],
    limits: { wall_ms: 60_000, memory_mb: 256, cpus: 1, pids: 64, tmpfs_mb: 16, startup_ms: 10_000 },
    categories,
    validate: { starter_max_score: 40 },
    checks,
  });
}

/** One grader check result; a failed one gets the message `<id> failed`. */
export function graderCheck(
  id: string,
  status: GraderCheck['status'],
  extra: Partial<GraderCheck> = {},
): GraderCheck {
  return { id, status, message: status === 'pass' ? null : `${id} failed`, duration_ms: 1, ...extra };
}

/** A pod outcome in which the grader finished and reported `checks` (candidate running, nothing truncated). */
export function podOutcome(checks: GraderCheck[], overrides: Partial<PodOutcome> = {}): PodOutcome {
  return {
    output: { version: 1, setup_error: null, checks },
    checks,
    timedOut: false,
    graderTruncated: false,
    candidate: { started: true, running: true, exitCode: null, oomKilled: false },
    candidateLog: '',
    graderLog: '',
    timingsMs: {},
    ...overrides,
  };
}
