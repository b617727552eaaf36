import { z } from 'zod';
import { embedTokenCreateSchema } from '../../routes/embed-tokens.routes';
import { ORG, type ApiRoute } from '../api-route';

const embedTokenViewSchema = z.object({
  challenge_id: z.string(),
  parent_origin: z.string(),
  expires_at: z.string(),
});

/** Embed tokens of the embedded candidate flow. */
export const EMBED_PATHS: readonly ApiRoute[] = [
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
];
