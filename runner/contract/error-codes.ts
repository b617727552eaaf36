/**
 * Registry of Stackgrade's stable error codes: code → HTTP status, problem `type` slug and one line of
 * meaning. The API turns an {@link AppError} into RFC 9457 problem+json with
 * `type: https://stackgrade.dev/problems/<slug>`; the runner uses `retryable` to steer BullMQ retries.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 422, title: 'The request is well-formed but invalid' },
  MALFORMED_REQUEST: { status: 400, title: 'The request body could not be parsed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body has an unsupported media type' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNAUTHENTICATED: { status: 401, title: 'Valid API key credentials are required' },
  FORBIDDEN: { status: 403, title: 'The API key may not access this resource' },
  CSRF_INVALID: { status: 403, title: 'The CSRF token of this form is missing or invalid' },
  EMBED_TOKEN_INVALID: { status: 403, title: 'The embed token is malformed, expired or not signed here' },
  NOT_FOUND: { status: 404, title: 'The resource does not exist' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'The method is not allowed on this resource' },
  RATE_LIMITED: { status: 429, title: 'Too many requests; retry after the time in Retry-After' },
  CHALLENGE_NOT_FOUND: { status: 404, title: 'The challenge does not exist' },
  SUBMISSION_NOT_FOUND: { status: 404, title: 'The submission does not exist' },
  REPORT_NOT_READY: { status: 409, title: 'The submission has no report yet (still grading, or it failed)' },
  INSUFFICIENT_SCOPE: { status: 403, title: 'The API key lacks the scope this route needs' },
  ASSESSMENT_NOT_FOUND: { status: 404, title: 'The assessment does not exist' },
  INVITE_NOT_FOUND: { status: 404, title: 'The invite does not exist' },
  INVITE_USED: { status: 409, title: 'The invite was already used to start the assessment' },
  INVITE_EXPIRED: { status: 410, title: 'The invite has expired' },
  ASSESSMENT_NOT_OPEN: { status: 409, title: 'The assessment is not open now' },
  ASSESSMENT_OVER: { status: 409, title: 'The time or the attempts of the assessment are used up' },
  OPEN_SUBMISSIONS_CLOSED: {
    status: 403,
    title: "The challenge's owner accepts submissions only within an assessment",
  },
  WEBHOOK_NOT_FOUND: { status: 404, title: 'The webhook or delivery does not exist' },
  ARCHIVE_INVALID: { status: 422, title: 'The submission archive is unsafe or malformed' },
  ARCHIVE_TOO_LARGE: { status: 413, title: 'The submission archive exceeds a size limit' },
  RUNTIME_UNDETERMINED: { status: 422, title: "The submission's runtime could not be determined" },
  RUNTIME_NOT_ACCEPTED: { status: 422, title: 'The challenge does not accept the submission runtime' },
  QUEUE_UNAVAILABLE: { status: 503, title: 'The grading queue is unavailable; retry later' },
  STORE_UNAVAILABLE: { status: 503, title: 'The submission store is unavailable; retry later' },
  WEB_APP_UNAVAILABLE: { status: 503, title: 'The web app is not built on this server' },
  METRICS_UNAVAILABLE: { status: 503, title: "The API workers' metrics could not be collected; retry later" },
  CONFIG_INVALID: { status: 500, title: 'The service configuration is invalid' },
  MANIFEST_INVALID: { status: 500, title: 'A challenge manifest is invalid' },
  CHALLENGE_INVALID: { status: 500, title: 'A file of a challenge package is invalid' },
  SANDBOX_FAILED: { status: 500, title: 'The sandbox could not be started or run' },
  IMAGE_BUILD_FAILED: { status: 500, title: 'A sandbox image could not be built' },
  GRADER_FAILED: { status: 500, title: 'The grader did not produce a valid result' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

/** One of the stable error codes in {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The problem `type` URI of a code: lower-kebab slug under a stable base (RFC 9457 §3.1.1). */
export function problemType(code: ErrorCode): string {
  return `https://stackgrade.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
