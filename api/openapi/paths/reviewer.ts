import { z } from 'zod';
import { reviewerSessionCreateSchema } from '../../routes/reviewer-session.routes';
import type { ApiRoute } from '../api-route';

const reviewerSessionViewSchema = z.object({
  csrf_token: z.string(),
  reviewer: z
    .object({ organisation: z.string(), key_id: z.string(), scopes: z.array(z.string()) })
    .nullable(),
});

/** A reviewer's browser session. */
export const REVIEWER_PATHS: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/v1/reviewer-session',
    summary: "The browser's reviewer session and CSRF token",
    tag: 'reviewer',
    auth: 'optional',
    ok: { status: 200, description: 'Session', schema: reviewerSessionViewSchema },
    errors: [],
  },
  {
    method: 'post',
    path: '/v1/reviewer-session',
    summary: 'Sign in a reviewer with an API key (cookie session)',
    tag: 'reviewer',
    auth: 'optional',
    body: reviewerSessionCreateSchema,
    ok: { status: 200, description: 'Session', schema: reviewerSessionViewSchema },
    errors: [400, 401, 403, 413, 415, 422],
  },
  {
    method: 'delete',
    path: '/v1/reviewer-session',
    summary: 'Sign out',
    tag: 'reviewer',
    auth: 'optional',
    ok: { status: 204, description: 'Signed out' },
    errors: [403],
  },
];
