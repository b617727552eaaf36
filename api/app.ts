import express from 'express';
import pino, { type Logger } from 'pino';
import type { ChallengeCatalog } from '../runner/contract/challenge-catalog';
import { DEFAULT_MAX_UPLOAD_BYTES } from './config';
import type { ApiKeyStore } from './data-access/api-key-store';
import type { SubmissionStore } from './data-access/submission-store';
import { createPracticeRateLimiter, type PracticeRateLimiter } from './domain/practice-rate-limit';
import { authenticate } from './middleware/authenticate';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { requestContext } from './middleware/request-context';
import type { GradeQueue } from './queue/grade-queue';
import { challengesRouter } from './routes/challenges.routes';
import { healthRouter } from './routes/health.routes';
import { submissionsRouter } from './routes/submissions.routes';

/** Everything the HTTP app needs; `createApp` opens no connection of its own. */
export interface AppDeps {
  store: SubmissionStore;
  /** API keys: a request with `Authorization: Bearer <key>` acts for the key's owner. */
  apiKeys: ApiKeyStore;
  queue: GradeQueue;
  catalog: ChallengeCatalog;
  /** Defaults to a pino logger at `info` on stdout. */
  logger?: Logger;
  /** Largest accepted upload, bytes; defaults to 5 MiB (config `MAX_UPLOAD_BYTES`). */
  maxUploadBytes?: number;
  /** Practice submissions' budget; defaults to an in-process count of the default budget. */
  practiceLimiter?: PracticeRateLimiter;
}

/**
 * Builds the Express app of the public API (never listens; `main.ts` does). Every response carries
 * `X-Request-Id` and `X-Content-Type-Options: nosniff`; every error is RFC 9457 problem+json. Health
 * endpoints are anonymous; every other route verifies an `Authorization: Bearer` API key when one is sent.
 */
export function createApp(deps: AppDeps): express.Express {
  const logger = deps.logger ?? pino();
  const maxUploadBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(requestContext(logger));
  app.use(healthRouter(deps.store));
  app.use(authenticate(deps.apiKeys));
  app.use(challengesRouter(deps.catalog));
  app.use(
    submissionsRouter({
      store: deps.store,
      queue: deps.queue,
      catalog: deps.catalog,
      logger,
      maxUploadBytes,
      practiceLimiter: deps.practiceLimiter ?? createPracticeRateLimiter(),
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
