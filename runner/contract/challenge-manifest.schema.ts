import { z } from 'zod';
import { categorySchema, visibilitySchema, CATEGORIES } from './categories';
import { runtimeIdSchema } from './runtime-selection';

/** An id of a challenge, service or owner: lower-case letters, digits and dashes, 1–63 characters. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes');

/** A database service of the pod, built from the challenge's `db/` recipe (design.md, "Challenge package"). */
export const serviceSchema = z.object({
  /** Engine; only PostgreSQL is supported by the runner today. */
  kind: z.literal('postgres'),
  /** Name used in the pod; the candidate's service reaches the first postgres service as `$DATABASE_URL`. */
  name: slugSchema,
  /** Folder (relative to the challenge) holding the image recipe: a Dockerfile and its seed files. */
  image: z.string().min(1),
  /** TCP port on the pod's loopback. */
  port: z.number().int().min(1024).max(65535),
  /** Database name and the candidate's (non-superuser) role. */
  database: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  candidate_role: z.string().regex(/^[a-z_][a-z0-9_]*$/),
});

/** Resource limits a challenge asks for; the runner caps each by the operator's maximum. */
export const limitsSchema = z.object({
  /** Wall-clock limit of the whole grading run, milliseconds. */
  wall_ms: z.number().int().min(10_000).max(900_000),
  /** Candidate container memory (and memory+swap), MiB. */
  memory_mb: z.number().int().min(64).max(8192),
  /** Candidate container CPUs (fractional). */
  cpus: z.number().min(0.1).max(16),
  /**
   * The candidate's processes and threads. Under gVisor the container's host pids limit is this plus
   * the sandbox's own tasks (`GVISOR_SANDBOX_PIDS`, host-config.ts); reaching it ends the service.
   */
  pids: z.number().int().min(16).max(4096),
  /** Size of the candidate's writable /tmp (tmpfs), MiB. */
  tmpfs_mb: z.number().int().min(1).max(1024),
  /** Time the candidate's service has to answer its health endpoint, milliseconds. */
  startup_ms: z.number().int().min(1000).max(300_000),
});

/** One hidden check: a stable id (never reused), its category, weight and visibility. */
export const checkSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  title: z.string().min(1),
  category: categorySchema,
  weight: z.number().positive().max(100),
  visibility: visibilitySchema.default('hint'),
});

/** The `challenge.yaml` manifest of a challenge package. */
export const challengeManifestSchema = z
  .object({
    id: slugSchema,
    /**
     * The organisation that owns the challenge: API keys issued to this owner see every report of the
     * challenge in full (`GET /v1/submissions/:id?view=owner`). Without it no key does.
     */
    owner: slugSchema.optional(),
    version: z.number().int().min(1),
    title: z.string().min(1),
    summary: z.string().min(1),
    /**
     * The candidate runtimes the challenge accepts (runner/runtimes/), at least one, no repeats. A submission's
     * runtime is detected from its files or named by the client; warm pods are kept for the first.
     */
    runtimes: z
      .array(runtimeIdSchema)
      .min(1)
      .refine((r) => new Set(r).size === r.length, 'each runtime once'),
    services: z.array(serviceSchema).min(1),
    limits: limitsSchema,
    /** Category weights for the overall score; categories without checks must have weight 0. */
    categories: z.record(categorySchema, z.number().min(0)),
    /** Run the reference solution in the same pod so performance checks are ratios to it. */
    performance_reference: z.boolean().default(false),
    /** Minimum overall score of the starter is not a thing; these bound what `challenge validate` expects. */
    validate: z.object({ starter_max_score: z.number().min(0).max(100) }),
    checks: z.array(checkSchema).min(1),
  })
  .superRefine((m, ctx) => {
    const ids = new Set<string>();
    for (const c of m.checks) {
      if (ids.has(c.id))
        ctx.addIssue({ code: 'custom', message: `duplicate check id ${c.id}`, path: ['checks'] });
      ids.add(c.id);
    }
    for (const cat of CATEGORIES) {
      const has = m.checks.some((c) => c.category === cat);
      const w = m.categories[cat] ?? 0;
      if (has && w <= 0)
        ctx.addIssue({
          code: 'custom',
          message: `category ${cat} has checks but no weight`,
          path: ['categories', cat],
        });
      if (!has && w > 0)
        ctx.addIssue({
          code: 'custom',
          message: `category ${cat} has weight but no checks`,
          path: ['categories', cat],
        });
    }
  });

/** A validated challenge manifest. */
export type ChallengeManifest = z.infer<typeof challengeManifestSchema>;
export type CheckDefinition = z.infer<typeof checkSchema>;
export type ServiceDefinition = z.infer<typeof serviceSchema>;
export type ChallengeLimits = z.infer<typeof limitsSchema>;
