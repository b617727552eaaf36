import { randomBytes } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import pino, { type Logger } from 'pino';
import type { ChallengeCatalog } from '../runner/contract/challenge-catalog';
import { DEFAULT_MAX_UPLOAD_BYTES } from './config';
import type { ApiKeyStore } from './data-access/api-key-store';
import type { SubmissionStore } from './data-access/submission-store';
import { createPracticeRateLimiter, type PracticeRateLimiter } from './domain/practice-rate-limit';
import { authenticate } from './middleware/authenticate';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { requestContext } from './middleware/request-context';
import { reviewerSession } from './middleware/reviewer-session';
import type { TrustProxy } from './middleware/trust-proxy';
import type { OrgServices } from './org-services';
import type { GradeQueue } from './queue/grade-queue';
import type { ProgressFeed } from './queue/progress-feed';
import { assessmentsRouter } from './routes/assessments.routes';
import { invitesRouter } from './routes/invites.routes';
import { openApiRouter } from './operations/openapi.routes';
import { organisationRouter } from './routes/organisation.routes';
import { webhooksRouter } from './routes/webhooks.routes';
import { challengesRouter } from './routes/challenges.routes';
import { embedTokensRouter } from './routes/embed-tokens.routes';
import { healthRouter } from './routes/health.routes';
import { reviewerSessionRouter } from './routes/reviewer-session.routes';
import { submissionEventsRouter } from './routes/submission-events.routes';
import { submissionsRouter } from './routes/submissions.routes';
import { signingKeyRouter } from './routes/signing-key.routes';
import { DEFAULT_WEB_DIST_DIR, webAppRouter } from './routes/web-app.routes';

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
  /** Live grading progress for `GET /v1/submissions/:id/events`; without it the stream polls the store. */
  progress?: ProgressFeed;
  /** Key signing reviewer sessions and embed tokens (config `WEB_SECRET`); defaults to a random one. */
  webSecret?: string;
  /** Folder of the built web app; defaults to the repository's `web/dist`. */
  webDistDir?: string;
  /** Organisations' assessments, invites, challenge settings and webhooks. */
  org: OrgServices;
  /** Mounted before the authenticated routes (metrics, docs, operator tools); none when absent. */
  extraRouters?: Router[];
  /** Sees every request first, right after the request context (the metrics' request counter); optional. */
  requestObserver?: RequestHandler;
  /**
   * Per-client rate limit of the `/v1` routes (see api/operations/client-rate-limit.ts), mounted after
   * authentication; none when absent (main.ts always sets one).
   */
  rateLimiter?: RequestHandler;
  /**
   * Which reverse proxies' `X-Forwarded-For` sets the client address (`req.ip`, used by the per-client rate
   * limit and logs); default false: the TCP peer. Config `TRUST_PROXY`.
   */
  trustProxy?: TrustProxy;
  /** Practice submissions' budget; defaults to an in-process count of the default budget. */
  practiceLimiter?: PracticeRateLimiter;
}

/**
 * Builds the Express app of the public API (never listens; `main.ts` does). Every response carries
 * `X-Request-Id` and `X-Content-Type-Options: nosniff`; every error is RFC 9457 problem+json. Health
 * endpoints are anonymous; every other route verifies an `Authorization: Bearer` API key when one is sent,
 * and a reviewer's session cookie stands in for it on GET requests. The web app is served under `/app`, the
 * OpenAPI document at `/v1/openapi.json` and its reference page at `/docs`.
 */
export function createApp(deps: AppDeps): express.Express {
  const logger = deps.logger ?? pino();
  const maxUploadBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy ?? false);

  const webSecret = deps.webSecret ?? randomBytes(32).toString('base64url');
  app.use(requestContext(logger));
  if (deps.requestObserver) app.use(deps.requestObserver);
  app.use(healthRouter(deps.store));
  app.use(openApiRouter());
  for (const r of deps.extraRouters ?? []) app.use(r);
  app.use(webAppRouter(deps.webDistDir ?? DEFAULT_WEB_DIST_DIR, webSecret, maxUploadBytes));
  app.use(authenticate(deps.apiKeys, deps.org.invites));
  app.use(reviewerSession(deps.apiKeys, webSecret));
  if (deps.rateLimiter) app.use('/v1', deps.rateLimiter);
  app.use(reviewerSessionRouter(deps.apiKeys, webSecret));
  app.use(embedTokensRouter(deps.catalog, webSecret));
  app.use(organisationRouter(deps.catalog, deps.org.challengeSettings));
  app.use(challengesRouter(deps.catalog, deps.org.challengeSettings));
  app.use(signingKeyRouter(deps.org.signingKeys));
  app.use(
    submissionEventsRouter({
      store: deps.store,
      catalog: deps.catalog,
      assessmentStore: deps.org.assessmentStore,
      ...(deps.progress ? { progress: deps.progress } : {}),
    }),
  );
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
