import { DEFAULT_RATE_LIMIT } from './operations/client-rate-limit';
import { z } from 'zod';
import { AppError } from '../runner/contract/app-error';
import { queueNameSetting } from '../runner/contract/queue-names';
import { WEBHOOK_QUEUE } from './webhooks/delivery-queue';
import { DEFAULT_PRACTICE_RATE_LIMIT } from './domain/practice-rate-limit';
import { parseTrustProxy } from './middleware/trust-proxy';

/** Default upper bound of an uploaded archive (and of the decoded files of a JSON upload): 5 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The API's environment variables: name, type, default and meaning (`.describe()`), validated once at start. */
export const apiEnvSchema = z.object({
  API_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe('TCP port the HTTP server listens on'),
  API_HOST: z.string().min(1).default('127.0.0.1').describe('Address the HTTP server binds to'),
  API_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe(
      'HTTP worker processes sharing the port (node:cluster); 1 = one process. Up to the cores the API may use',
    ),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .default('mongodb://127.0.0.1:27017')
    .describe(
      'Submission store (MongoDB or FerretDB connection string); default: the one setup-host.sh starts',
    ),
  MONGODB_DB: z.string().min(1).default('stackgrade').describe('Database name of the submission store'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .default('redis://127.0.0.1:6379')
    .describe(
      'Redis holding the BullMQ grading queue (redis:// or rediss://); default: the one setup-host.sh starts',
    ),
  QUEUE_NAME: queueNameSetting('runner'),
  CHALLENGES_DIR: z
    .string()
    .min(1)
    .optional()
    .describe("Folder of challenge packages; defaults to the repository's challenges/"),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 * 1024)
    .default(DEFAULT_MAX_UPLOAD_BYTES)
    .describe('Largest accepted submission archive, bytes (JSON bodies may be about 1.4× this for base64)'),
  WEB_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe(
      'Key (at least 32 characters) signing reviewer session cookies and embed tokens; when unset a random one per process (sessions and embed tokens then end with the process and need API_WORKERS=1)',
    ),
  WEB_DIST_DIR: z
    .string()
    .min(1)
    .optional()
    .describe("Folder of the built web app (npm run build:web); defaults to the repository's web/dist"),
  INVITE_LINK_BASE: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:8080/app/invites/')
    .describe(
      "Invite links are this prefix followed by the invite token: the web app's invite page (its landing page with the rules and Start) on the installation's public origin",
    ),
  WEBHOOK_QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, dot, underscore or dash (no colon)')
    .default(WEBHOOK_QUEUE)
    .describe('BullMQ queue of webhook deliveries (the runner must use the same name)'),
  WEBHOOK_WORKER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('Deliver webhooks and sweep overdue invites in this process (true) or leave it to another'),
  PRACTICE_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(DEFAULT_PRACTICE_RATE_LIMIT.points)
    .describe('Practice submissions one client may make per challenge and window'),
  PRACTICE_RATE_WINDOW_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(DEFAULT_PRACTICE_RATE_LIMIT.windowS)
    .describe('Window of PRACTICE_RATE_LIMIT, seconds'),
  RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_RATE_LIMIT.limit)
    .describe('Requests one client (API key, candidate session or IP address) may make to /v1 per window'),
  RATE_LIMIT_WINDOW_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(DEFAULT_RATE_LIMIT.windowS)
    .describe('Window of RATE_LIMIT, seconds'),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    })
    .describe(
      "Reverse proxies in front of the API whose X-Forwarded-For is believed (Express's trust proxy): a hop count, or a comma-separated list of addresses, CIDR subnets, loopback, linklocal, uniquelocal; unset: none, the client is the TCP peer",
    ),
  ADMIN_API_KEY: z
    .string()
    .min(32)
    .optional()
    .describe('Operator key of /admin/queues (Bull Board), at least 32 characters; unset: Bull Board is off'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
});

/** The validated, frozen API configuration. */
export type ApiConfig = Readonly<z.infer<typeof apiEnvSchema>>;

/**
 * Parses and validates the API configuration from an environment (unknown variables are ignored).
 *
 * @throws AppError `CONFIG_INVALID` naming every invalid or missing variable (zod issues in `details`).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = apiEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new AppError('CONFIG_INVALID', `invalid API configuration:\n${z.prettifyError(parsed.error)}`, {
      details: parsed.error.issues,
    });
  }
  return Object.freeze(parsed.data);
}
