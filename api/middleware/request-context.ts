import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { requestPath } from './error-handler';

/** Header carrying the request id, accepted from the client when well-formed and always echoed. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Sets `res.locals.requestId` (the client's `X-Request-Id` when it is 1–128 safe characters, else a new
 * UUID), echoes it, adds `X-Content-Type-Options: nosniff`, and logs one line per finished request with
 * `req_id`, `method`, `path`, `status` and `ms` (wall time, milliseconds).
 */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const incoming = req.get(REQUEST_ID_HEADER);
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    let logged = false;
    const log = (): void => {
      if (logged) return;
      logged = true;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          req_id: requestId,
          method: req.method,
          path: requestPath(req),
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    };
    res.once('finish', log);
    res.once('close', log);
    next();
  };
}
