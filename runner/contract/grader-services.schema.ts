import { z } from 'zod';

/**
 * What the runner tells the grader about one database service of the pod (the grader container's `SERVICES`
 * variable is a JSON array of these, in manifest order): superuser URLs of the candidate's instance and of
 * the reference's twin, the canary to verify, the candidate's user (docs/engines.md).
 */
export const graderServiceEnvSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['postgres', 'redis', 'mongodb']),
  /** Superuser URL of the candidate's instance. */
  admin_url: z.string().min(1),
  /** Superuser URL of the reference's twin, when the challenge runs its reference. */
  ref_admin_url: z.string().min(1).nullable(),
  /** For MongoDB: superuser URL of the PostgreSQL store behind FerretDB (statements, plans). */
  store_admin_url: z.string().min(1).nullable(),
  /** The canary the grader must find (empty when the engine keeps none). */
  canary: z.string(),
  /** The candidate's user or role: statistics are filtered by it. */
  candidate_user: z.string().min(1),
});

/** One service as the grader sees it. */
export type GraderServiceEnv = z.infer<typeof graderServiceEnvSchema>;

/** Parses the grader's `SERVICES` variable; throws an Error naming the problem. */
export function parseGraderServices(json: string): GraderServiceEnv[] {
  return z.array(graderServiceEnvSchema).parse(JSON.parse(json));
}
