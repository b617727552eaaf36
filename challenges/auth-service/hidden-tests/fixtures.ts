/**
 * Shared helpers of the auth-service hidden tests: every request carries an `X-Forwarded-For` address (the
 * contract's client address) that no other probe uses unless it says so, so that per-client throttling of
 * one probe never decides another; accounts are registered fresh per probe. An account or a session a
 * check needs as its set-up is a fixture: when the service cannot make it, the check ends `not_assessed`
 * naming the check that judges registration (`c-register`) or login (`c-login`), not `fail`.
 */
import { createForFixture, expect, NotAssessed, type CheckContext, type HttpResponse } from '../../../grader';

/** An account the grader registered, with its password. */
export interface Account {
  id: number;
  email: string;
  password: string;
}

/** A logged-in account: its tokens and the Authorization header of its access token. */
export interface Session extends Account {
  access: string;
  refresh: string;
  auth: Record<string, string>;
}

let ipCounter = 0;
/** A client address no other request of this run used (10.0.0.0/8, RFC 1918). */
export function freshIp(): string {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** Sends a request from client `ip` (a fresh one when omitted). */
export function send(
  ctx: CheckContext,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  ip = freshIp(),
): Promise<HttpResponse> {
  return ctx.app.request({ method, path, body, headers: { 'x-forwarded-for': ip, ...headers } });
}

/** A new e-mail address (lower-case). */
export function newEmail(ctx: CheckContext, label: string): string {
  return `${label}-${ctx.rng.token(10).toLowerCase()}@grader.example`;
}

/** Every password {@link newPassword} made in this run: none may reach the service's log. */
export const passwordsSent: string[] = [];

/** A new password that passes the policy (a random passphrase, not in the breached list). */
export function newPassword(ctx: CheckContext): string {
  const p = `correct horse ${ctx.rng.token(12)}`;
  passwordsSent.push(p);
  return p;
}

/**
 * Registers a fresh account as a check's set-up: any 2xx with the new id in its body (or `Location`) will
 * do; otherwise the check is not assessed (blocked by `c-register`, which judges registration itself).
 */
export async function register(
  ctx: CheckContext,
  label: string,
  password = newPassword(ctx),
): Promise<Account> {
  const email = newEmail(ctx, label);
  const { id } = await createForFixture(
    ctx.app,
    {
      method: 'POST',
      path: '/register',
      body: { email, password },
      headers: { 'x-forwarded-for': freshIp() },
    },
    { label: 'POST /register', judgedBy: 'c-register' },
  );
  if (!Number.isInteger(Number(id)))
    throw new NotAssessed(
      `Not assessed: POST /register reported the id ${JSON.stringify(id)}, not an integer (judged by c-register).`,
      'c-register',
    );
  return { id: Number(id), email, password };
}

/** Logs in; the response as it came. */
export function login(
  ctx: CheckContext,
  email: string,
  password: string,
  ip = freshIp(),
): Promise<HttpResponse> {
  return send(ctx, 'POST', '/login', { email, password }, {}, ip);
}

/** The tokens of a 200 login or refresh answer; fails the check otherwise. */
export function tokensOf(r: HttpResponse, what: string): { access: string; refresh: string } {
  const b = r.json as { access_token?: unknown; refresh_token?: unknown } | undefined;
  expect(
    r.status === 200 && typeof b?.access_token === 'string' && typeof b.refresh_token === 'string',
    `${what} answered ${r.status} without access_token and refresh_token.`,
    { body: r.text.slice(0, 300) },
  );
  return { access: b.access_token, refresh: b.refresh_token };
}

/** Registers a fresh account and logs it in. */
export async function session(ctx: CheckContext, label: string): Promise<Session> {
  const a = await register(ctx, label);
  return { ...a, ...(await relogin(ctx, a)) };
}

/**
 * A new session of an existing account, as a check's set-up: when the login gives no tokens the check is
 * not assessed (blocked by `c-login`, which judges login itself).
 */
export async function relogin(
  ctx: CheckContext,
  a: Account,
): Promise<{ access: string; refresh: string; auth: Record<string, string> }> {
  const r = await login(ctx, a.email, a.password);
  const b = r.json as { access_token?: unknown; refresh_token?: unknown } | undefined;
  if (r.status !== 200 || typeof b?.access_token !== 'string' || typeof b.refresh_token !== 'string')
    throw new NotAssessed(
      `Not assessed: the set-up needs POST /login to give tokens, but it answered ${r.status} without them (judged by c-login).`,
      'c-login',
      { status: r.status, body: r.text.slice(0, 300) },
    );
  return {
    access: b.access_token,
    refresh: b.refresh_token,
    auth: { authorization: `Bearer ${b.access_token}` },
  };
}

/** Makes an account an administrator in the database (the contract's `users.role`). */
export async function promote(ctx: CheckContext, a: Account): Promise<void> {
  await ctx.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [a.id]);
}

/** GET /me with a token: its status. */
export async function meStatus(ctx: CheckContext, access: string): Promise<number> {
  return (await send(ctx, 'GET', '/me', undefined, { authorization: `Bearer ${access}` })).status;
}

/** POST /token/refresh with a refresh token. */
export function refresh(ctx: CheckContext, token: string): Promise<HttpResponse> {
  return send(ctx, 'POST', '/token/refresh', { refresh_token: token });
}

/** Asks for a reset of `email` and reads the token of the newest outbox row for it (null when none). */
export async function resetToken(ctx: CheckContext, email: string): Promise<string | null> {
  const r = await send(ctx, 'POST', '/password-reset', { email });
  expect(r.status === 202, `POST /password-reset answered ${r.status}, expected 202.`);
  const rows = await ctx.db.query<{ token: string | null }>(
    `SELECT payload->>'token' AS token FROM outbox
      WHERE lower(recipient) = lower($1) AND template = 'password_reset' ORDER BY id DESC LIMIT 1`,
    [email],
  );
  return rows[0]?.token ?? null;
}

/** Passwords of the breached list the challenge ships (README, "Password policy"). */
export const BREACHED_SAMPLE = ['password123', 'qwertyuiop', 'iloveyou1', 'Password1', 'sunshine'];
