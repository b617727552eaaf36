import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ERROR_CODES } from '../../runner/contract/error-codes';
import { PROBLEM_CONTENT_TYPE } from '../middleware/problem';
import { API_ROUTES, type ApiRoute } from './routes';
import { problemSchema } from './problem.schema';

/** The OpenAPI document's type, as @asteasolutions/zod-to-openapi generates it. */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** Express path parameters (`:id`) in OpenAPI form (`{id}`, OpenAPI 3.1 §4.8.8 Path Templating). */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function statusDescription(status: number): string {
  const titles = Object.entries(ERROR_CODES)
    .filter(([, v]) => v.status === status)
    .map(([code]) => code);
  return `Problem (RFC 9457): ${titles.join(', ') || 'error'}`;
}

function errorStatuses(route: ApiRoute): number[] {
  const statuses = new Set([...route.errors, 405, 429, 500]);
  if (route.auth !== 'none') statuses.add(401);
  return [...statuses].sort((a, b) => a - b);
}

function security(route: ApiRoute): Record<string, string[]>[] | undefined {
  if (route.auth === 'none') return [];
  if (route.auth === 'optional') return [{}, { apiKey: [] }, { candidateSession: [] }];
  if (route.auth === 'candidate') return [{ candidateSession: [] }];
  if (route.auth === 'admin') return [{ adminKey: [] }, { adminBasic: [] }];
  if (route.auth === 'key') return [{ apiKey: [] }];
  return [{ apiKey: [route.auth.scope] }];
}

/**
 * Builds the OpenAPI 3.1 document of the API from the zod schemas of its routes ({@link API_ROUTES}): every
 * operation with its parameters, request body, success response and each error it can answer as
 * `application/problem+json` (the `Problem` component). Pure; the result is a plain JSON object.
 */
export function buildOpenApiDocument(version: string): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: "An organisation's API key `sg_<id>_<secret>`; scopes as listed per operation",
  });
  registry.registerComponent('securitySchemes', 'candidateSession', {
    type: 'http',
    scheme: 'bearer',
    description: 'A candidate session token `sgs_…` from POST /v1/invites/{token}/start',
  });
  registry.registerComponent('securitySchemes', 'adminKey', {
    type: 'http',
    scheme: 'bearer',
    description: "The operator's ADMIN_API_KEY",
  });
  registry.registerComponent('securitySchemes', 'adminBasic', {
    type: 'http',
    scheme: 'basic',
    description: 'ADMIN_API_KEY as the password of any user name (for browsers)',
  });
  for (const route of API_ROUTES) {
    const params = [...route.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
    const responses: Record<
      string,
      { description: string; content?: Record<string, { schema: z.ZodType }> }
    > = {};
    const ok = route.ok;
    responses[String(ok.status)] = {
      description: ok.description,
      ...(ok.schema
        ? { content: { 'application/json': { schema: ok.schema } } }
        : ok.mediaType
          ? { content: { [ok.mediaType]: { schema: z.string() } } }
          : {}),
    };
    for (const status of errorStatuses(route)) {
      responses[String(status)] = {
        description: statusDescription(status),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
      };
    }
    const sec = security(route);
    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(route.path),
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(sec ? { security: sec } : {}),
      request: {
        ...(params.length > 0
          ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) }
          : {}),
        ...(route.query ? { query: route.query } : {}),
        ...(route.body
          ? { body: { required: true, content: { 'application/json': { schema: route.body } } } }
          : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Stackgrade API',
      version,
      description:
        'Grades backend services in sealed Docker pods. Every error is RFC 9457 problem+json with a stable `code`; ' +
        'every route may answer 429 with `Retry-After` past its per-client rate limit.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
  });
}
