import { z } from 'zod';
import {
  assessmentCreateSchema,
  assessmentListViewSchema,
  assessmentViewSchema,
  challengeSettingsSchema,
  inviteCreateSchema,
  inviteCreatedListSchema,
  inviteListViewSchema,
  invitePreviewSchema,
  resultListViewSchema,
  sessionStartedSchema,
  sessionViewSchema,
} from '../schemas/assessment.schema';
import {
  challengeDetailViewSchema,
  challengeListViewSchema,
  starterQuerySchema,
} from '../schemas/challenge.schema';
import {
  submissionAcceptedSchema,
  submissionCreateSchema,
  submissionGetQuerySchema,
  submissionListQuerySchema,
  submissionViewSchema,
  rawUploadQuerySchema,
} from '../schemas/submission.schema';
import {
  deliveryListViewSchema,
  deliveryViewSchema,
  webhookCreateSchema,
  webhookListViewSchema,
  webhookViewSchema,
  webhookWithSecretSchema,
} from '../schemas/webhook.schema';
import { embedTokenCreateSchema } from '../routes/embed-tokens.routes';
import { reviewerSessionCreateSchema } from '../routes/reviewer-session.routes';
import type { Scope } from '../domain/scopes';

/** Who may call a route: anyone, an organisation key with a scope, a candidate session, or the operator key. */
export type RouteAuth = 'none' | 'optional' | 'candidate' | 'admin' | { scope: Scope } | 'key';

/** One operation of the public API as the OpenAPI document describes it. */
export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path (`/v1/assessments/:id`); the document writes `{id}`. */
  path: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  /** Success status and its body (a zod schema, or a media type with a plain description). */
  ok: { status: number; description: string; schema?: z.ZodType; mediaType?: string };
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Error statuses the route itself answers, besides the common ones (405, 429, 500; 401 when authenticated). */
  errors: number[];
}

const ORG = (scope: Scope): RouteAuth => ({ scope });
const obj = z.looseObject({});
const organisationViewSchema = z.object({
  id: z.string(),
  key: z.object({ id: z.string(), scopes: z.array(z.string()) }),
});
const reviewerSessionViewSchema = z.object({
  csrf_token: z.string(),
  reviewer: z
    .object({ organisation: z.string(), key_id: z.string(), scopes: z.array(z.string()) })
    .nullable(),
});
const embedTokenViewSchema = z.object({
  challenge_id: z.string(),
  parent_origin: z.string(),
  expires_at: z.string(),
});

/**
 * Every operation of the API (the Express routers under api/routes, plus the operator routes). The OpenAPI
 * document is generated from this table; test/integration/api/openapi.test.ts fails when the Express app has a
 * route this table lacks.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and store reachability',
    tag: 'operations',
    auth: 'none',
    ok: {
      status: 200,
      description: 'The API and its store answer',
      schema: z.object({ status: z.literal('ok') }),
    },
    errors: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (text exposition format 0.0.4)',
    tag: 'operations',
    auth: 'none',
    ok: { status: 200, description: 'Metrics', mediaType: 'text/plain' },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tag: 'operations',
    auth: 'none',
    ok: { status: 200, description: 'The document', schema: obj },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'API reference page (Redoc, served locally)',
    tag: 'operations',
    auth: 'none',
    ok: { status: 200, description: 'HTML page', mediaType: 'text/html' },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs/redoc.standalone.js',
    summary: "Redoc's standalone bundle (from the redoc npm package)",
    tag: 'operations',
    auth: 'none',
    ok: { status: 200, description: 'JavaScript', mediaType: 'text/javascript' },
    errors: [],
  },
  {
    method: 'get',
    path: '/admin/queues',
    summary: 'Bull Board: the grading and webhook queues (operators)',
    tag: 'operations',
    auth: 'admin',
    ok: {
      status: 200,
      description: 'HTML dashboard and its JSON API below this path',
      mediaType: 'text/html',
    },
    errors: [503],
  },
  {
    method: 'get',
    path: '/v1/organisation',
    summary: "The API key's organisation and scopes",
    tag: 'organisation',
    auth: 'key',
    ok: { status: 200, description: 'Organisation', schema: organisationViewSchema },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/challenges',
    summary: 'List challenges',
    tag: 'challenges',
    auth: 'optional',
    ok: { status: 200, description: 'Challenges', schema: challengeListViewSchema },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/challenges/:id',
    summary: 'One challenge',
    tag: 'challenges',
    auth: 'optional',
    ok: { status: 200, description: 'Challenge', schema: challengeDetailViewSchema },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/challenges/:id/starter',
    summary: "The challenge's starter project (tar.gz), for one runtime with ?runtime=",
    tag: 'challenges',
    auth: 'optional',
    query: starterQuerySchema,
    ok: { status: 200, description: 'gzip-compressed tar', mediaType: 'application/gzip' },
    errors: [404, 422],
  },
  {
    method: 'get',
    path: '/v1/challenges/:id/settings',
    summary: "An owned challenge's settings",
    tag: 'challenges',
    auth: ORG('challenges:write'),
    ok: { status: 200, description: 'Settings', schema: challengeSettingsSchema },
    errors: [403, 404],
  },
  {
    method: 'put',
    path: '/v1/challenges/:id/settings',
    summary: "Change an owned challenge's settings",
    tag: 'challenges',
    auth: ORG('challenges:write'),
    body: challengeSettingsSchema,
    ok: { status: 200, description: 'Settings', schema: challengeSettingsSchema },
    errors: [400, 403, 404, 413, 415, 422],
  },
  {
    method: 'post',
    path: '/v1/embed-tokens',
    summary: 'Sign an embed token for a challenge',
    tag: 'embed',
    auth: ORG('challenges:write'),
    body: embedTokenCreateSchema,
    ok: {
      status: 201,
      description: 'Token',
      schema: z.object({ token: z.string(), url: z.string(), expires_at: z.string() }),
    },
    errors: [400, 403, 404, 413, 415, 422],
  },
  {
    method: 'get',
    path: '/v1/embed-tokens/:token',
    summary: 'Verify an embed token',
    tag: 'embed',
    auth: 'optional',
    ok: { status: 200, description: 'Grant', schema: embedTokenViewSchema },
    errors: [403],
  },
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
  {
    method: 'post',
    path: '/v1/submissions',
    summary: 'Submit a solution (JSON, or a raw tar.gz/zip body with ?challenge_id=)',
    tag: 'submissions',
    auth: 'optional',
    body: submissionCreateSchema,
    query: rawUploadQuerySchema,
    ok: { status: 202, description: 'Accepted and queued', schema: submissionAcceptedSchema },
    errors: [400, 403, 404, 409, 413, 415, 422, 503],
  },
  {
    method: 'get',
    path: '/v1/submissions',
    summary: "List the caller's submissions",
    tag: 'submissions',
    auth: 'optional',
    query: submissionListQuerySchema,
    ok: {
      status: 200,
      description: 'Submissions',
      schema: z.object({ data: z.array(submissionViewSchema) }),
    },
    errors: [422],
  },
  {
    method: 'get',
    path: '/v1/submissions/:id',
    summary: 'One submission and its report',
    tag: 'submissions',
    auth: 'optional',
    query: submissionGetQuerySchema,
    ok: { status: 200, description: 'Submission', schema: submissionViewSchema },
    errors: [403, 404, 422],
  },
  {
    method: 'get',
    path: '/v1/submissions/:id/report.xml',
    summary: "The submission's full report as JUnit XML",
    tag: 'submissions',
    auth: ORG('results:read'),
    ok: { status: 200, description: 'JUnit XML', mediaType: 'application/xml' },
    errors: [403, 404, 409],
  },
  {
    method: 'get',
    path: '/v1/signing-key',
    summary: "The installation's report-signing public keys (Ed25519)",
    tag: 'submissions',
    auth: 'none',
    ok: {
      status: 200,
      description: 'Public keys, most recently used first',
      schema: z.object({
        keys: z.array(
          z.object({
            key_id: z.string(),
            algorithm: z.literal('Ed25519'),
            public_key_pem: z.string(),
            first_seen: z.string(),
            last_seen: z.string(),
          }),
        ),
      }),
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/submissions/:id/events',
    summary: 'Grading progress as Server-Sent Events',
    tag: 'submissions',
    auth: 'optional',
    ok: { status: 200, description: 'Event stream', mediaType: 'text/event-stream' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/v1/assessments',
    summary: 'Create an assessment',
    tag: 'assessments',
    auth: ORG('assessments:write'),
    body: assessmentCreateSchema,
    ok: { status: 201, description: 'Created', schema: assessmentViewSchema },
    errors: [400, 403, 404, 413, 415, 422],
  },
  {
    method: 'get',
    path: '/v1/assessments',
    summary: "List the organisation's assessments",
    tag: 'assessments',
    auth: ORG('assessments:read'),
    ok: { status: 200, description: 'Assessments', schema: assessmentListViewSchema },
    errors: [403],
  },
  {
    method: 'get',
    path: '/v1/assessments/:id',
    summary: 'One assessment',
    tag: 'assessments',
    auth: ORG('assessments:read'),
    ok: { status: 200, description: 'Assessment', schema: assessmentViewSchema },
    errors: [403, 404],
  },
  {
    method: 'post',
    path: '/v1/assessments/:id/invites',
    summary: 'Invite candidates (the response carries each invite link once)',
    tag: 'assessments',
    auth: ORG('assessments:write'),
    body: inviteCreateSchema,
    ok: { status: 201, description: 'Invites', schema: inviteCreatedListSchema },
    errors: [400, 403, 404, 413, 415, 422],
  },
  {
    method: 'get',
    path: '/v1/assessments/:id/invites',
    summary: "List an assessment's invites",
    tag: 'assessments',
    auth: ORG('assessments:read'),
    ok: { status: 200, description: 'Invites', schema: inviteListViewSchema },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/v1/assessments/:id/results',
    summary: 'Results per candidate',
    tag: 'assessments',
    auth: ORG('results:read'),
    ok: { status: 200, description: 'Results', schema: resultListViewSchema },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/v1/assessments/:id/results.csv',
    summary: 'Results per candidate as CSV (RFC 4180)',
    tag: 'assessments',
    auth: ORG('results:read'),
    ok: { status: 200, description: 'CSV', mediaType: 'text/csv' },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/v1/invites/:token',
    summary: 'Preview an invite',
    tag: 'candidates',
    auth: 'none',
    ok: { status: 200, description: 'Invite', schema: invitePreviewSchema },
    errors: [404, 409, 410],
  },
  {
    method: 'post',
    path: '/v1/invites/:token/start',
    summary: 'Start the assessment (the timer starts)',
    tag: 'candidates',
    auth: 'none',
    ok: { status: 201, description: 'Session and its token', schema: sessionStartedSchema },
    errors: [404, 409, 410],
  },
  {
    method: 'get',
    path: '/v1/session',
    summary: "The candidate's session",
    tag: 'candidates',
    auth: 'candidate',
    ok: { status: 200, description: 'Session', schema: sessionViewSchema },
    errors: [],
  },
  {
    method: 'post',
    path: '/v1/session/finish',
    summary: 'Finish the assessment',
    tag: 'candidates',
    auth: 'candidate',
    ok: { status: 200, description: 'Session', schema: sessionViewSchema },
    errors: [409],
  },
  {
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Register a webhook (the response carries its secret once)',
    tag: 'webhooks',
    auth: ORG('webhooks:write'),
    body: webhookCreateSchema,
    ok: { status: 201, description: 'Created', schema: webhookWithSecretSchema },
    errors: [400, 403, 413, 415, 422],
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    summary: "List the organisation's webhooks",
    tag: 'webhooks',
    auth: ORG('webhooks:write'),
    ok: { status: 200, description: 'Webhooks', schema: webhookListViewSchema },
    errors: [403],
  },
  {
    method: 'get',
    path: '/v1/webhooks/:id',
    summary: 'One webhook',
    tag: 'webhooks',
    auth: ORG('webhooks:write'),
    ok: { status: 200, description: 'Webhook', schema: webhookViewSchema },
    errors: [403, 404],
  },
  {
    method: 'delete',
    path: '/v1/webhooks/:id',
    summary: 'Delete a webhook',
    tag: 'webhooks',
    auth: ORG('webhooks:write'),
    ok: { status: 204, description: 'Deleted' },
    errors: [403, 404],
  },
  {
    method: 'post',
    path: '/v1/webhooks/:id/rotate-secret',
    summary: 'Rotate the signing secret (the old one stays valid for an overlap)',
    tag: 'webhooks',
    auth: ORG('webhooks:write'),
    ok: { status: 200, description: 'Webhook with its new secret', schema: webhookWithSecretSchema },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    summary: 'Delivery log',
    tag: 'webhooks',
    auth: ORG('webhooks:write'),
    ok: { status: 200, description: 'Deliveries', schema: deliveryListViewSchema },
    errors: [403, 404],
  },
  {
    method: 'post',
    path: '/v1/webhooks/:id/deliveries/:delivery_id/redeliver',
    summary: 'Deliver an event again',
    tag: 'webhooks',
    auth: ORG('webhooks:write'),
    ok: { status: 202, description: 'Queued', schema: deliveryViewSchema },
    errors: [403, 404],
  },
];
