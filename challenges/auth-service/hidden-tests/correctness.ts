import { createHmac } from 'node:crypto';
import { decodeJwt, defineCheck, expect, type CheckContext } from '../../../grader';
import {
  BREACHED_SAMPLE,
  login,
  newEmail,
  newPassword,
  promote,
  refresh,
  register,
  relogin,
  resetToken,
  send,
  session,
  tokensOf,
} from './fixtures';

/** Whether `token` is an HS256 JWS whose signature verifies under the pod's JWT_SECRET (RFC 7515 §5.2). */
function signedWithPodKey(ctx: CheckContext, token: string): boolean {
  const [h, p, s] = token.split('.');
  const key = ctx.secrets.JWT_SECRET;
  if (!key || !h || !p || s === undefined) return false;
  return createHmac('sha256', key).update(`${h}.${p}`).digest('base64url') === s;
}

/** The decoded token, or null when it is not a compact JWS of JSON segments. */
export function jwtOf(token: string): ReturnType<typeof decodeJwt> | null {
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

export const correctnessChecks = [
  defineCheck('c-health', async (ctx) => {
    const r = await ctx.app.request({ path: '/health' });
    expect(r.status === 200, `GET /health answered ${r.status}.`);
    expect((r.json as { status?: unknown })?.status === 'ok', 'GET /health did not answer {"status":"ok"}.');
  }),

  defineCheck('c-register', async (ctx) => {
    const email = newEmail(ctx, 'register');
    const r = await send(ctx, 'POST', '/register', { email, password: newPassword(ctx) });
    const b = r.json as { id?: unknown; email?: unknown; role?: unknown } | undefined;
    ctx.evidence.response = { status: r.status, body: r.text.slice(0, 300) };
    expect(r.status === 201, `POST /register answered ${r.status}, expected 201.`);
    expect(
      Number.isInteger(Number(b?.id)) && b?.email === email && b?.role === 'user',
      'The 201 body must carry the new user: id, email as registered, role "user".',
    );
    const rows = await ctx.db.query<{ email: string; role: string }>(
      'SELECT email, role FROM users WHERE id = $1',
      [Number(b!.id)],
    );
    expect(
      rows[0]?.email === email && rows[0].role === 'user',
      'The user is not stored in the users table.',
      rows,
    );
  }),

  defineCheck('c-email-unique', async (ctx) => {
    const a = await register(ctx, 'unique');
    const again = await send(ctx, 'POST', '/register', {
      email: a.email.toUpperCase(),
      password: newPassword(ctx),
    });
    ctx.evidence.second = { status: again.status, body: again.text.slice(0, 300) };
    expect(
      again.status === 409,
      `Registering ${a.email.toUpperCase()} after ${a.email} answered ${again.status}, expected 409.`,
    );
    const n = await ctx.db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM users WHERE lower(email) = $1',
      [a.email],
    );
    expect(n[0]?.n === '1', `users holds ${n[0]?.n} rows for one e-mail.`);
  }),

  defineCheck('c-password-policy', async (ctx) => {
    const refused: [string, string][] = [
      ['7 characters', 'abcdefg'],
      ...BREACHED_SAMPLE.map((p) => [`breached "${p}"`, p] as [string, string]),
    ];
    const accepted: [string, string][] = [
      ['8 lower-case letters, no digit or symbol', 'zqxjvkwm'],
      [
        'a 64-character passphrase with spaces and non-ASCII letters',
        `ünïcödé pass phrase ${'x'.repeat(37)} ok`.slice(0, 64),
      ],
    ];
    const wrong: string[] = [];
    const seen: Record<string, number> = {};
    for (const [label, password] of refused) {
      const r = await send(ctx, 'POST', '/register', { email: newEmail(ctx, 'policy'), password });
      seen[label] = r.status;
      if (r.status !== 422) wrong.push(`${label} → ${r.status} (expected 422)`);
    }
    for (const [label, password] of accepted) {
      const r = await send(ctx, 'POST', '/register', { email: newEmail(ctx, 'policy'), password });
      seen[label] = r.status;
      if (r.status !== 201) wrong.push(`${label} → ${r.status} (expected 201)`);
    }
    ctx.evidence.statuses = seen;
    expect(wrong.length === 0, `The password policy is not the contract's: ${wrong.join('; ')}.`);
  }),

  defineCheck('c-login', async (ctx) => {
    const a = await register(ctx, 'login');
    const r = await login(ctx, a.email.toUpperCase(), a.password);
    const t = tokensOf(r, 'POST /login with the registered password (e-mail in upper case)');
    const b = r.json as { token_type?: unknown; expires_in?: unknown };
    expect(String(b.token_type).toLowerCase() === 'bearer', 'token_type must be "Bearer".');
    expect(b.expires_in === 900, `expires_in is ${JSON.stringify(b.expires_in)}, expected 900.`);
    const jwt = jwtOf(t.access);
    expect(jwt, 'The access token is not a JWT (three base64url JSON segments).');
    ctx.evidence.header = jwt.header;
    ctx.evidence.claims = jwt.payload;
    expect(
      jwt.header.alg === 'HS256',
      `The access token's alg is ${String(jwt.header.alg)}, expected HS256.`,
    );
    expect(signedWithPodKey(ctx, t.access), 'The access token is not signed with JWT_SECRET.');
    const { sub, role, iat, exp } = jwt.payload;
    expect(sub === String(a.id), `sub is ${JSON.stringify(sub)}, expected "${a.id}".`);
    expect(role === 'user', `role is ${JSON.stringify(role)}, expected "user".`);
    expect(typeof iat === 'number' && typeof exp === 'number' && exp - iat === 900, 'exp must be iat + 900.');
  }),

  defineCheck('c-me', async (ctx) => {
    const s = await session(ctx, 'me');
    const r = await send(ctx, 'GET', '/me', undefined, s.auth);
    const b = r.json as { id?: unknown; email?: unknown; role?: unknown } | undefined;
    expect(r.status === 200, `GET /me answered ${r.status}.`);
    expect(
      Number(b?.id) === s.id && b?.email === s.email && b?.role === 'user',
      'GET /me did not answer the caller.',
      {
        body: r.text.slice(0, 300),
      },
    );
  }),

  defineCheck('c-refresh-rotation', async (ctx) => {
    const s = await session(ctx, 'rotate');
    const t1 = tokensOf(await refresh(ctx, s.refresh), 'POST /token/refresh');
    expect(t1.refresh !== s.refresh, 'The refresh returned the same refresh token: it must rotate.');
    const me = await send(ctx, 'GET', '/me', undefined, { authorization: `Bearer ${t1.access}` });
    expect(me.status === 200, `The refreshed access token was refused (${me.status}).`);
    tokensOf(await refresh(ctx, t1.refresh), 'A second refresh with the new refresh token');
  }),

  defineCheck('c-password-change', async (ctx) => {
    const s = await session(ctx, 'change');
    const next = newPassword(ctx);
    const bad = await send(
      ctx,
      'POST',
      '/me/password',
      { current_password: `${s.password}x`, new_password: next },
      s.auth,
    );
    expect(
      bad.status === 403,
      `A change with a wrong current password answered ${bad.status}, expected 403.`,
    );
    const ok = await send(
      ctx,
      'POST',
      '/me/password',
      { current_password: s.password, new_password: next },
      s.auth,
    );
    expect(ok.status === 204, `POST /me/password answered ${ok.status}, expected 204.`);
    expect((await login(ctx, s.email, next)).status === 200, 'The new password does not log in.');
    expect((await login(ctx, s.email, s.password)).status === 401, 'The old password still logs in.');
  }),

  defineCheck('c-password-reset', async (ctx) => {
    const a = await register(ctx, 'reset');
    const token = await resetToken(ctx, a.email);
    expect(token, 'No password_reset row with payload.token was written to the outbox for the account.');
    const next = newPassword(ctx);
    const r = await send(ctx, 'POST', '/password-reset/confirm', { token, new_password: next });
    expect(r.status === 204, `POST /password-reset/confirm answered ${r.status}, expected 204.`);
    expect((await login(ctx, a.email, next)).status === 200, 'The new password does not log in.');
  }),

  defineCheck('c-users-admin', async (ctx) => {
    const admin = await register(ctx, 'admin');
    const other = await register(ctx, 'promoted');
    await promote(ctx, admin);
    const { auth } = await relogin(ctx, admin);
    const list = await send(ctx, 'GET', '/users?limit=5', undefined, auth);
    const items = (list.json as { items?: { id?: unknown }[] } | undefined)?.items;
    expect(
      list.status === 200 && Array.isArray(items),
      `GET /users as an administrator answered ${list.status}.`,
    );
    const ids = items.map((u) => Number(u.id));
    expect(
      ids.length === 5 && ids.every((id, i) => i === 0 || id > ids[i - 1]!),
      'GET /users?limit=5 must list 5 users by id.',
      { ids },
    );
    const p = await send(ctx, 'PATCH', `/users/${other.id}`, { role: 'admin' }, auth);
    expect(p.status === 200, `PATCH /users/{id} as an administrator answered ${p.status}.`);
    const rows = await ctx.db.query<{ role: string }>('SELECT role FROM users WHERE id = $1', [other.id]);
    expect(rows[0]?.role === 'admin', 'The role change was not stored.');
  }),

  defineCheck('c-login-audit', async (ctx) => {
    const a = await register(ctx, 'audit');
    await login(ctx, a.email, `${a.password}-wrong`);
    await login(ctx, a.email, a.password);
    const rows = await ctx.db.query<{ user_id: string | null; success: boolean; client_ip: string }>(
      'SELECT user_id::text, success, client_ip FROM login_audit WHERE lower(email) = $1 ORDER BY id',
      [a.email],
    );
    ctx.evidence.rows = rows;
    expect(
      rows.some((r) => r.success === false) &&
        rows.some((r) => r.success === true && r.user_id === String(a.id)),
      'login_audit must hold a failed and a successful attempt of the account.',
    );
  }),
];
