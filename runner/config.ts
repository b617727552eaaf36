import os from 'node:os';
import { z } from 'zod';
import { AppError } from './contract/app-error';
import { queueNameSetting } from './contract/queue-names';

const envSchema = z.object({
  REDIS_URL: z.string().default('redis://127.0.0.1:6379').describe('BullMQ connection'),
  MONGODB_URI: z
    .string()
    .startsWith('mongodb')
    .default('mongodb://127.0.0.1:27017')
    .describe('Submission store'),
  MONGODB_DB: z.string().default('stackgrade').describe('Database of the submission store'),
  CHALLENGES_DIR: z
    .string()
    .optional()
    .describe('Folder of challenge packages (default: the repository challenges/)'),
  RUNNER_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(9465)
    .describe(
      "Port of the runner's Prometheus /metrics (gradings, durations, pod starts, warm pool); 0 disables",
    ),
  RUNNER_METRICS_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the runner metrics server binds to'),
  STACKGRADE_HOME: z.string().default('/var/lib/stackgrade').describe('Host folder for caches and work dirs'),
  SIGNING_KEY_FILE: z
    .string()
    .optional()
    .describe(
      'Ed25519 private key (PKCS#8 PEM) that signs reports; default STACKGRADE_HOME/keys/report-signing-key.pem, generated on first use',
    ),
  RUNNER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe('Pods graded at once by this runner'),
  WARM_PODS: z.coerce
    .number()
    .int()
    .min(0)
    .max(16)
    .optional()
    .describe(
      'Warm pods kept ready per challenge (started up to the candidate); default RUNNER_CONCURRENCY, 0 disables',
    ),
  WARM_POD_MAX_AGE_MS: z.coerce
    .number()
    .int()
    .min(10_000)
    .default(600_000)
    .describe(
      'A warm pod idle longer than this is replaced (bounds how long its leftovers can outlive a crash)',
    ),
  WORKER_ID: z
    .string()
    .default(`${os.hostname()}-${process.pid}`)
    .describe('Identity of this runner in leases and labels'),
  SANDBOX_RUNTIME: z
    .enum(['auto', 'runsc', 'runc'])
    .default('auto')
    .describe('OCI runtime of candidate containers; auto = runsc when registered'),
  SANDBOX_MAX_WALL_MS: z.coerce
    .number()
    .int()
    .min(10_000)
    .default(600_000)
    .describe('Upper bound of a manifest wall_ms'),
  SANDBOX_MAX_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(64)
    .default(2048)
    .describe('Upper bound of a manifest memory_mb'),
  SANDBOX_MAX_CPUS: z.coerce.number().min(0.1).default(2).describe('Upper bound of a manifest cpus'),
  SANDBOX_MAX_PIDS: z.coerce.number().int().min(16).default(512).describe('Upper bound of a manifest pids'),
  INSTALL_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(10_000)
    .default(240_000)
    .describe('Time limit of a dependency install'),
  INSTALL_CA_FILE: z
    .string()
    .optional()
    .describe(
      'CA bundle the dependency-install step trusts (default: NODE_EXTRA_CA_CERTS, for TLS-inspecting proxies)',
    ),
  NPM_REGISTRY: z
    .string()
    .url()
    .optional()
    .describe('Registry for dependency installs (default: npm config get registry)'),
  PYPI_INDEX_URL: z
    .string()
    .url()
    .default('https://pypi.org/simple')
    .describe('Package index (PEP 503 simple API) of Python dependency installs'),
  GO_PROXY: z
    .string()
    .url()
    .default('https://proxy.golang.org')
    .describe('Go module proxy of Go builds (also serves the checksum database, sum.golang.org)'),
  RECONCILE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(30_000)
    .describe('How often stuck submissions are re-enqueued'),
  QUEUED_GRACE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60_000)
    .describe('A queued submission without a job after this long is re-enqueued'),
  QUEUE_NAME: queueNameSetting('API'),
  JOB_LOCK_MS: z.coerce
    .number()
    .int()
    .min(5_000)
    .default(60_000)
    .describe(
      'BullMQ lockDuration: a job whose runner stops renewing its lock this long is stalled and re-run (BullMQ default 30000)',
    ),
  STALLED_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe('BullMQ stalledInterval: how often stalled jobs are looked for (BullMQ default 30000)'),
  ENGINE_CHECK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(500)
    .default(5_000)
    .describe(
      'How often the Docker engine is pinged; while it does not answer the runner takes no grading jobs',
    ),
  REAPER_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60_000)
    .describe('How often leftover pod containers are removed'),
});

/** The runner's configuration, validated once at start-up (README.md, "Configuration"). */
export type RunnerConfig = Readonly<Omit<z.infer<typeof envSchema>, 'WARM_PODS'> & { WARM_PODS: number }>;

/** Parses the runner's environment. Throws AppError CONFIG_INVALID naming each bad variable. */
export function loadRunnerConfig(env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  const r = envSchema.safeParse(env);
  if (!r.success) throw new AppError('CONFIG_INVALID', z.prettifyError(r.error), { details: r.error.issues });
  return Object.freeze({ ...r.data, WARM_PODS: r.data.WARM_PODS ?? r.data.RUNNER_CONCURRENCY });
}
