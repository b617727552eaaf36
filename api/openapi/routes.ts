import type { ApiRoute } from './api-route';
import { ASSESSMENTS_PATHS } from './paths/assessments';
import { CANDIDATES_PATHS } from './paths/candidates';
import { CHALLENGES_PATHS } from './paths/challenges';
import { EMBED_PATHS } from './paths/embed';
import { OPERATIONS_PATHS } from './paths/operations';
import { ORGANISATION_PATHS } from './paths/organisation';
import { REVIEWER_PATHS } from './paths/reviewer';
import { SUBMISSIONS_PATHS } from './paths/submissions';
import { WEBHOOKS_PATHS } from './paths/webhooks';

export type { ApiRoute, RouteAuth } from './api-route';

/**
 * Every operation of the API (the Express routers under api/routes, plus the operator routes), one file per
 * tag under api/openapi/paths/. The OpenAPI document is generated from this table in this order;
 * test/integration/api/openapi.test.ts fails when the Express app has a route this table lacks.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  ...OPERATIONS_PATHS,
  ...ORGANISATION_PATHS,
  ...CHALLENGES_PATHS,
  ...EMBED_PATHS,
  ...REVIEWER_PATHS,
  ...SUBMISSIONS_PATHS,
  ...ASSESSMENTS_PATHS,
  ...CANDIDATES_PATHS,
  ...WEBHOOKS_PATHS,
];
