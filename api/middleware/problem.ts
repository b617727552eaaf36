import { ZodError } from 'zod';
import type { Response } from 'express';
import { isAppError } from '../../runner/contract/app-error';
import { ERROR_CODES, problemType, type ErrorCode } from '../../runner/contract/error-codes';

/** Media type of every error response (RFC 9457 §3). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One field-level validation issue: the zod issue's path (keys and indexes) and message. */
export interface ProblemIssue {
  path: (string | number)[];
  message: string;
}

/**
 * An RFC 9457 problem details object: the standard members `type`, `title`, `status`, `detail`,
 * `instance` (§3.1) plus the extension members `code` (a stable {@link ErrorCode}), `request_id` and, for
 * validation errors, `errors` (§3.2).
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  request_id?: string;
  errors?: ProblemIssue[];
}

/** A problem resolved from an error, before the request-specific members are added. */
export interface ResolvedProblem {
  code: ErrorCode;
  status: number;
  detail: string;
  errors?: ProblemIssue[];
  /** True for failures of the server itself (status 500 from an unexpected error): log with stack. */
  unexpected: boolean;
}

/** Zod issues as problem `errors`: `[{ path, message }]`, symbols in paths turned into strings. */
export function toProblemIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ProblemIssue[] {
  return issues.map((i) => ({
    path: i.path.map((k) => (typeof k === 'number' ? k : String(k))),
    message: i.message,
  }));
}

const STATUS_TO_CODE: Partial<Record<number, ErrorCode>> = {
  400: 'MALFORMED_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
};

/** Errors of body-parser / http-errors carry a client status (`status` or `statusCode`, 4xx) and `expose`. */
function httpClientStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && e.expose !== false) return status;
  return undefined;
}

/**
 * Maps any thrown value to a problem: an AppError keeps its code, status, message and zod-issue details;
 * a ZodError becomes 422 VALIDATION_FAILED; a client error of Express or body-parser (malformed JSON,
 * body too large, unsupported charset or encoding, bad URI encoding) keeps its 4xx status; anything
 * else is 500 INTERNAL with a generic detail (the message is never shown).
 */
export function resolveProblem(err: unknown): ResolvedProblem {
  if (isAppError(err)) {
    const errors =
      Array.isArray(err.details) && err.details.every(isIssueLike) ? toProblemIssues(err.details) : undefined;
    return {
      code: err.code,
      status: err.httpStatus,
      detail: err.message,
      ...(errors ? { errors } : {}),
      unexpected: false,
    };
  }
  if (err instanceof ZodError) {
    return {
      code: 'VALIDATION_FAILED',
      status: ERROR_CODES.VALIDATION_FAILED.status,
      detail: 'The request is invalid; see errors.',
      errors: toProblemIssues(err.issues),
      unexpected: false,
    };
  }
  const status = httpClientStatus(err);
  if (status !== undefined) {
    const code = STATUS_TO_CODE[status] ?? 'MALFORMED_REQUEST';
    return { code, status, detail: clientDetail(err, code), unexpected: false };
  }
  return {
    code: 'INTERNAL',
    status: 500,
    detail: 'An unexpected error occurred; quote the request id when reporting it.',
    unexpected: true,
  };
}

function clientDetail(err: unknown, code: ErrorCode): string {
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.parse.failed') return 'The request body is not valid JSON.';
  if (type === 'entity.too.large') return 'The request body exceeds the upload limit.';
  const message = err instanceof Error ? err.message : '';
  return message || ERROR_CODES[code].title;
}

function isIssueLike(x: unknown): x is { path: PropertyKey[]; message: string } {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as { path?: unknown }).path) &&
    typeof (x as { message?: unknown }).message === 'string'
  );
}

/** Builds the full RFC 9457 body of a resolved problem for one request. */
export function toProblemDetails(
  problem: ResolvedProblem,
  instance: string,
  requestId?: string,
): ProblemDetails {
  return {
    type: problemType(problem.code),
    title: ERROR_CODES[problem.code].title,
    status: problem.status,
    detail: problem.detail,
    instance,
    code: problem.code,
    ...(requestId ? { request_id: requestId } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}

/** Sends a problem as `application/problem+json` with its status. */
export function sendProblem(res: Response, body: ProblemDetails): void {
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).json(body);
}
