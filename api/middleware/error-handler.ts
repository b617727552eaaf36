import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../../runner/contract/app-error';
import { retryAfterSeconds } from '../operations/client-rate-limit';
import { BEARER_CHALLENGE } from './authenticate';
import { resolveProblem, sendProblem, toProblemDetails } from './problem';

/** The request path without its query string: the problem's `instance` (RFC 9457 §3.1.5). */
export function requestPath(req: Request): string {
  const url = req.originalUrl || req.url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Final route: any path no router matched is a 404 NOT_FOUND problem. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `no resource at ${requestPath(req)}`));
};

/**
 * Answers 405 METHOD_NOT_ALLOWED with an `Allow` header (RFC 9110 §15.5.6) for a known path, and 204
 * with the same header to OPTIONS. Mount with `route.all(...)` after the route's real handlers.
 *
 * @param allowed - the methods the path supports; HEAD is added when GET is present, OPTIONS always.
 */
export function methodNotAllowed(...allowed: string[]): RequestHandler {
  const methods = new Set(allowed.map((m) => m.toUpperCase()));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  const allow = [...methods].join(', ');
  return (req, res, next) => {
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(
      new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${requestPath(req)}; use ${allow}`),
    );
  };
}

/**
 * The one error handler: every error becomes an RFC 9457 problem+json response (see `resolveProblem`).
 * A 401 always carries `WWW-Authenticate` (RFC 9110 §15.5.2), a 429 `Retry-After`. Unexpected errors are logged once with their stack; platform 5xx AppErrors are logged as warnings.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const problem = resolveProblem(err);
    const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;
    if (problem.unexpected) {
      logger.error({ err, req_id: requestId, method: req.method, path: requestPath(req) }, 'unhandled error');
    } else if (problem.status >= 500) {
      logger.warn({ err, req_id: requestId, code: problem.code }, problem.detail);
    }
    // RFC 6585 §4 / RFC 9110 §10.2.3: a 429 says how long to wait (the per-client and the practice limits).
    const retryAfter = retryAfterSeconds(err);
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    if (problem.status === 401 && !res.hasHeader('WWW-Authenticate')) {
      res.setHeader('WWW-Authenticate', BEARER_CHALLENGE);
    }
    sendProblem(res, toProblemDetails(problem, requestPath(req), requestId));
  };
}
