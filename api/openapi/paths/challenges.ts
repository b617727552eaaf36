import { challengeSettingsSchema } from '../../schemas/assessment.schema';
import {
  challengeDetailViewSchema,
  challengeListViewSchema,
  starterQuerySchema,
} from '../../schemas/challenge.schema';
import { ORG, type ApiRoute } from '../api-route';

/** The challenge catalog and owned challenges' settings. */
export const CHALLENGES_PATHS: readonly ApiRoute[] = [
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
];
