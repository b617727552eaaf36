import {
  invitePreviewSchema,
  sessionStartedSchema,
  sessionViewSchema,
} from '../../schemas/assessment.schema';
import type { ApiRoute } from '../api-route';

/** A candidate's invite and session. */
export const CANDIDATES_PATHS: readonly ApiRoute[] = [
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
];
