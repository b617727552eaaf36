import type { RequestHandler, Response } from 'express';
import { AppError } from '../../runner/contract/app-error';
import type { ApiKeyStore } from '../data-access/api-key-store';
import { verifyApiKey, type Principal } from '../domain/verify-api-key';

/** `WWW-Authenticate` challenge of every 401 (RFC 9110 §11.6.1, Bearer scheme of RFC 6750 §3). */
export const BEARER_CHALLENGE = 'Bearer realm="stackgrade"';

const PRINCIPAL = 'principal';

/**
 * Reads `Authorization: Bearer <api key>` (RFC 6750 §2.1; the scheme is case-insensitive, RFC 9110 §11.1)
 * when one is sent and stores the verified {@link Principal} for {@link principalOf}. A request without the
 * header goes on anonymously; credentials that are sent but malformed, unknown, revoked or wrong are refused
 * with 401 UNAUTHENTICATED and `WWW-Authenticate: Bearer ..., error="invalid_token"` (RFC 6750 §3.1), never
 * ignored.
 */
export function authenticate(keys: ApiKeyStore): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) {
      next();
      return;
    }
    const match = /^Bearer +([^\s]+) *$/i.exec(header);
    const principal = match ? await verifyApiKey(keys, match[1]!) : null;
    if (!principal) {
      res.setHeader('WWW-Authenticate', `${BEARER_CHALLENGE}, error="invalid_token"`);
      throw new AppError('UNAUTHENTICATED', 'the API key is malformed, unknown or revoked');
    }
    setPrincipal(res, principal);
    next();
  };
}

/** The principal {@link authenticate} verified for this request, or undefined for an anonymous one. */
export function principalOf(res: Response): Principal | undefined {
  return res.locals[PRINCIPAL] as Principal | undefined;
}

/** Records the principal a request acts for (the bearer key's, or a reviewer session's). */
export function setPrincipal(res: Response, principal: Principal): void {
  res.locals[PRINCIPAL] = principal;
}
