import { z } from 'zod';
import { categorySchema, visibilitySchema, CATEGORIES } from './categories';
import { runtimeIdSchema } from './runtime-selection';

/** An id of a challenge, service or owner: lower-case letters, digits and dashes, 1–63 characters. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes');

/** A port on the pod's loopback that a service may listen on (the candidate and reference use 8080-8081). */
const portSchema = z
  .number()
  .int()
  .min(1024)
  .max(55_000)
  .refine((p) => p !== 8080 && p !== 8081, 'ports 8080 and 8081 belong to the candidate and the reference');

/** An environment variable name: upper-case letters, digits and underscores (POSIX, IEEE Std 1003.1 §8.1). */
const variableSchema = z.string().regex(/^[A-Z_][A-Z0-9_]{0,63}$/, 'an upper-case environment variable name');

/** A role, user or database name inside a service: lower-case letters, digits and underscores. */
const identifierSchema = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/);

/** What every kind of service declares (docs/engines.md). */
const serviceBase = {
  /** Name used in the pod, in image tags and in the grader (`ctx.services.<name>`). */
  name: slugSchema,
  /** TCP port on the pod's loopback; the reference's twin listens on `port + 1`. */
  port: portSchema,
  /**
   * The environment variable the candidate's service reads this service's connection URL from (default per
   * kind: `DATABASE_URL`, `REDIS_URL`, `MONGODB_URL`).
   */
  env: variableSchema.optional(),
};

/** A PostgreSQL 15 service, seeded at image build time from the challenge's recipe. */
export const postgresServiceSchema = z.object({
  kind: z.literal('postgres'),
  ...serviceBase,
  /** Folder (relative to the challenge) holding the image recipe: a Dockerfile and its seed files. */
  image: z.string().min(1),
  /** Database name and the candidate's (non-superuser) role. */
  database: identifierSchema,
  candidate_role: identifierSchema,
});

/** A Redis 7 service (Debian's redis-server): the candidate gets an ACL user without administrative commands. */
export const redisServiceSchema = z.object({
  kind: z.literal('redis'),
  ...serviceBase,
  /** Optional folder with an image recipe (FROM the Redis base) that seeds data at build time. */
  image: z.string().min(1).optional(),
  /** The candidate's ACL user name (default `app`). */
  candidate_user: identifierSchema.default('app'),
});

/**
 * A MongoDB-compatible service: FerretDB on a PostgreSQL store inside the same container, spoken to with the
 * official MongoDB drivers. The candidate's user is a PostgreSQL role without superuser rights.
 */
export const mongodbServiceSchema = z.object({
  kind: z.literal('mongodb'),
  ...serviceBase,
  /** Optional folder with an image recipe (FROM the MongoDB base) that seeds documents at build time. */
  image: z.string().min(1).optional(),
  /** The MongoDB database the candidate uses (named in its connection URL). */
  database: identifierSchema,
  /** The candidate's user name (default `app`). */
  candidate_user: identifierSchema.default('app'),
});

/** A database service of the pod, one of the engines the runner knows (runner/sandbox/engines/). */
export const serviceSchema = z.discriminatedUnion('kind', [
  postgresServiceSchema,
  redisServiceSchema,
  mongodbServiceSchema,
]);

/** The variable a service is exposed to the candidate as: its `env`, or its kind's default. */
export function serviceVariable(svc: ServiceDefinition): string {
  if (svc.env) return svc.env;
  return { postgres: 'DATABASE_URL', redis: 'REDIS_URL', mongodb: 'MONGODB_URL' }[svc.kind];
}

/**
 * Ports a service occupies on the pod's loopback: its own, its twin's (`+1`), and for MongoDB the PostgreSQL
 * store behind FerretDB (`+10000`, `+10001`).
 */
export function servicePorts(svc: ServiceDefinition): number[] {
  const own = [svc.port, svc.port + 1];
  return svc.kind === 'mongodb' ? [...own, svc.port + 10_000, svc.port + 10_001] : own;
}

/**
 * A secret the pod generates for the candidate's service (e.g. a JWT signing key): `bytes` random bytes
 * (crypto.randomBytes) as base64url text, new for every pod, passed to the candidate's and the reference's
 * service as the variable `env` and to the grader (`ctx.secrets.<env>`), so checks can sign or verify with it.
 */
export const podSecretSchema = z.object({
  env: variableSchema.refine(
    (v) => !['PORT', 'HOME', 'PATH', 'NODE_ENV'].includes(v),
    'PORT, HOME, PATH and NODE_ENV are set by the runner',
  ),
  /** Random bytes of the secret (its text is base64url, 4/3 as many characters); default 32 (256 bits). */
  bytes: z.number().int().min(16).max(128).default(32),
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
  /**
   * A practice check: candidates may run the practice checks alone, as often as allowed
   * (`POST /v1/submissions` with `mode: practice`, `stackgrade practice`), and see their results in full,
   * evidence included. A practice run is never scored; graded runs count the check as any other.
   */
  practice: z.boolean().default(false),
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
    /** Secrets the pod generates and gives the candidate's service as variables (default none). */
    secrets: z.array(podSecretSchema).max(8).default([]),
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
    const names = new Set<string>();
    const variables = new Set<string>();
    const ports = new Map<number, string>();
    for (const svc of m.services) {
      if (names.has(svc.name))
        ctx.addIssue({ code: 'custom', message: `duplicate service name ${svc.name}`, path: ['services'] });
      names.add(svc.name);
      const v = serviceVariable(svc);
      if (variables.has(v))
        ctx.addIssue({ code: 'custom', message: `two services are exposed as ${v}`, path: ['services'] });
      variables.add(v);
      for (const p of servicePorts(svc)) {
        const other = ports.get(p);
        if (other !== undefined)
          ctx.addIssue({
            code: 'custom',
            message: `services ${other} and ${svc.name} both need port ${p} (a twin uses port + 1)`,
            path: ['services'],
          });
        ports.set(p, svc.name);
      }
    }
    for (const sec of m.secrets) {
      if (variables.has(sec.env))
        ctx.addIssue({
          code: 'custom',
          message: `two services or secrets are exposed as ${sec.env}`,
          path: ['secrets'],
        });
      variables.add(sec.env);
    }
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
export type PostgresServiceDefinition = z.infer<typeof postgresServiceSchema>;
export type RedisServiceDefinition = z.infer<typeof redisServiceSchema>;
export type MongodbServiceDefinition = z.infer<typeof mongodbServiceSchema>;
/** The engines a service can be (`kind`). */
export type ServiceKind = ServiceDefinition['kind'];
export type PodSecretDefinition = z.infer<typeof podSecretSchema>;
export type ChallengeLimits = z.infer<typeof limitsSchema>;
