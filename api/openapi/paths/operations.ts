import { z } from 'zod';
import type { ApiRoute } from '../api-route';

const obj = z.looseObject({});

/** Operator routes: health, metrics, this document and its reference page, Bull Board. */
export const OPERATIONS_PATHS: readonly ApiRoute[] = [
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
    errors: [503],
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
];
