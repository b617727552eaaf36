import express, { type Router } from 'express';
import pino, { type Logger } from 'pino';
import type { ChallengeCatalog } from '../runner/contract/challenge-catalog';
import { DEFAULT_MAX_UPLOAD_BYTES } from './config';
import type { ApiKeyStore } from './data-access/api-key-store';
import type { SubmissionStore } from './data-access/submission-store';
import { createPracticeRateLimiter, type PracticeRateLimiter } from './domain/practice-rate-limit';
import { authenticate } from './middleware/authenticate';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { requestContext } from './middleware/request-context';
import type { OrgServices } from './org-services';
import type { GradeQueue } from './queue/grade-queue';
import { assessmentsRouter } from './routes/assessments.routes';
import { invitesRouter } from './routes/invites.routes';
import { organisationRouter } from './routes/organisation.routes';
import { webhooksRouter } from './routes/webhooks.routes';
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
  /** Organisations' assessments, invites, challenge settings and webhooks. */
  org: OrgServices;
  /** Mounted before the authenticated routes (metrics, docs, operator tools); none when absent. */
  extraRouters?: Router[];
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
  for (const r of deps.extraRouters ?? []) app.use(r);
  app.use(authenticate(deps.apiKeys, deps.org.invites));
  app.use(organisationRouter(deps.catalog, deps.org.challengeSettings));
  app.use(challengesRouter(deps.catalog));
  app.use(
    submissionsRouter({
      store: deps.store,
      queue: deps.queue,
      catalog: deps.catalog,
      logger,
      maxUploadBytes,
      assessmentStore: deps.org.assessmentStore,
      assessments: deps.org.assessments,
      challengeSettings: deps.org.challengeSettings,
      practiceLimiter: deps.practiceLimiter ?? createPracticeRateLimiter(),
    }),
  );
  app.use(
    assessmentsRouter({
      assessments: deps.org.assessments,
      invites: deps.org.invites,
      submissions: deps.org.submissionReader,
    }),
  );
  app.use(invitesRouter(deps.org.assessments));
  app.use(webhooksRouter(deps.org.webhookStore, deps.org.dispatcher));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
