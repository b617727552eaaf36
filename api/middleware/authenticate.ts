import type { RequestHandler, Response } from 'express';
import { AppError } from '../../runner/contract/app-error';
import type { ApiKeyStore } from '../data-access/api-key-store';
import type { InviteStore } from '../data-access/invite-store';
import { SESSION_TOKEN_PREFIX, verifySessionToken } from '../domain/invite-token';
import type { Scope } from '../domain/scopes';
import {
  verifyApiKey,
  type CandidatePrincipal,
  type KeyPrincipal,
  type Principal,
} from '../domain/verify-api-key';

/** `WWW-Authenticate` challenge of every 401 (RFC 9110 §11.6.1, Bearer scheme of RFC 6750 §3). */
export const BEARER_CHALLENGE = 'Bearer realm="stackgrade"';

const PRINCIPAL = 'principal';

/**
 * Reads `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive, RFC 9110 §11.1)
 * when one is sent and stores the verified {@link Principal} for {@link principalOf}: an organisation's API
 * key (`sg_…`) or a candidate's assessment session (`sgs_…`, from starting an invite). A request without the
 * header goes on anonymously; credentials that are sent but malformed, unknown, revoked, expired or wrong are
 * refused with 401 UNAUTHENTICATED and `WWW-Authenticate: Bearer ..., error="invalid_token"` (RFC 6750
 * §3.1), never ignored.
 */
export function authenticate(keys: ApiKeyStore, invites: InviteStore): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) {
      next();
      return;
    }
    const match = /^Bearer +([^\s]+) *$/i.exec(header);
    const token = match?.[1];
    let principal: Principal | null = null;
    if (token?.startsWith(SESSION_TOKEN_PREFIX)) principal = await verifySessionToken(invites, token);
    else if (token) principal = await verifyApiKey(keys, token);
    if (!principal) {
      res.setHeader('WWW-Authenticate', `${BEARER_CHALLENGE}, error="invalid_token"`);
      throw new AppError('UNAUTHENTICATED', 'the bearer token is malformed, unknown, revoked or expired');
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

/**
 * The request's organisation API key, which must hold `scope`.
 *
 * @throws AppError `UNAUTHENTICATED` (401) without an API key (a candidate session is no key);
 *   `INSUFFICIENT_SCOPE` (403) when the key lacks the scope (RFC 6750 §3.1 `insufficient_scope`).
 */
export function requireKey(res: Response, scope: Scope): KeyPrincipal {
  const p = principalOf(res);
  if (!p || p.kind !== 'key')
    throw new AppError('UNAUTHENTICATED', "this route needs an organisation's API key");
  if (!p.scopes.includes(scope)) {
    res.setHeader('WWW-Authenticate', `${BEARER_CHALLENGE}, error="insufficient_scope", scope="${scope}"`);
    throw new AppError('INSUFFICIENT_SCOPE', `API key ${p.keyId} lacks the scope ${scope}`);
  }
  return p;
}

/**
 * The request's candidate session.
 *
 * @throws AppError `UNAUTHENTICATED` (401) without a session token.
 */
export function requireCandidate(res: Response): CandidatePrincipal {
  const p = principalOf(res);
  if (!p || p.kind !== 'candidate') {
    throw new AppError('UNAUTHENTICATED', 'this route needs the session token of a started invite');
  }
  return p;
}
