import { z } from 'zod';
import {
  rawUploadQuerySchema,
  submissionAcceptedSchema,
  submissionCreateSchema,
  submissionGetQuerySchema,
  submissionListQuerySchema,
  submissionViewSchema,
} from '../../schemas/submission.schema';
import { ORG, type ApiRoute } from '../api-route';

/** Submissions, their reports and progress, and the report-signing keys. */
export const SUBMISSIONS_PATHS: readonly ApiRoute[] = [
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
];
