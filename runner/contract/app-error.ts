import { ERROR_CODES, type ErrorCode } from './error-codes';

/** Options of an {@link AppError}. */
export interface AppErrorOptions {
  /** HTTP status to answer with; defaults to the code's status in ERROR_CODES. */
  httpStatus?: number;
  /** True for transient platform failures that a retry may fix (Docker daemon down, store timeout). */
  retryable?: boolean;
  /** Machine-readable details, exposed in problem+json as `errors` (for example zod issues). */
  details?: unknown;
  cause?: unknown;
}

/**
 * The one application error class (Practica's AppError): a stable {@link ErrorCode}, a human message
 * and whether a retry may help. Candidate outcomes are never AppErrors: they are results.
 */
export class AppError extends Error {
  override name = 'AppError' as const;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(
    readonly code: ErrorCode,
    message: string,
    opts: AppErrorOptions = {},
  ) {
    super(message, { cause: opts.cause });
    this.httpStatus = opts.httpStatus ?? ERROR_CODES[code].status;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
  }
}

/** True for an AppError, also across a process or queue boundary where `instanceof` fails (checks `name`). */
export function isAppError(e: unknown): e is AppError {
  return (
    e instanceof AppError ||
    (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AppError')
  );
}
