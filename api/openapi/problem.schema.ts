import { z } from 'zod';
import { ERROR_CODES } from '../../runner/contract/error-codes';

/**
 * The RFC 9457 problem details body of every error response (see api/middleware/problem.ts): standard members
 * (§3.1) plus `code` (one of the stable error codes), `request_id` and, for validation errors, `errors` (§3.2).
 */
export const problemSchema = z
  .object({
    type: z.url().describe('Stable problem type URI: https://stackgrade.dev/problems/<code slug>'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    instance: z.string().describe('The request path'),
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]]),
    request_id: z.string().optional(),
    errors: z
      .array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }))
      .optional(),
  })
  .meta({ id: 'Problem' });
