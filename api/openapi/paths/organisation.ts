import { z } from 'zod';
import type { ApiRoute } from '../api-route';

const organisationViewSchema = z.object({
  id: z.string(),
  key: z.object({ id: z.string(), scopes: z.array(z.string()) }),
});

/** The API key's organisation. */
export const ORGANISATION_PATHS: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/v1/organisation',
    summary: "The API key's organisation and scopes",
    tag: 'organisation',
    auth: 'key',
    ok: { status: 200, description: 'Organisation', schema: organisationViewSchema },
    errors: [],
  },
];
