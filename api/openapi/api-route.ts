import type { z } from 'zod';
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

/** Auth of an owner route: an organisation's API key holding `scope`. */
export const ORG = (scope: Scope): RouteAuth => ({ scope });
