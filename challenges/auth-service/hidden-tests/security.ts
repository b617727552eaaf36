import {
  defineCheck,
  expect,
  must,
  passwordStorage,
  securityHeaders,
  type CheckContext,
  type ForgedToken,
  type HttpResponse,
} from '../../../grader';
import {
  login,
  meStatus,
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
  type Account,
} from './fixtures';
import { algNone, badSignatures, badTimes, otherAlgorithms } from './jwt-forgeries';
import { mannWhitney, median } from './rank-test';

/** The pod's JWT signing key; its absence is a grader error (challenge.yaml declares it). */
function podKey(ctx: CheckContext): string {
  const k = ctx.secrets.JWT_SECRET;
  if (!k) throw new Error('the pod has no JWT_SECRET');
  return k;
}

/** A valid token must work on GET /me, then every forgery must answer 401. */
async function forgeriesRefused(ctx: CheckContext, forge: (valid: string) => ForgedToken[]): Promise<void> {
  const s = await session(ctx, 'jwt');
  const base = await meStatus(ctx, s.access);
  expect(base === 200, `GET /me with a valid token answered ${base}, so forgeries cannot be judged.`);
  const results: { label: string; status: number }[] = [];
  for (const f of forge(s.access)) results.push({ label: f.label, status: await meStatus(ctx, f.token) });
  ctx.evidence.forgeries = results;
  const wrong = results.filter((r) => r.status !== 401);
  expect(
    wrong.length === 0,
    `Forged tokens must be refused with 401: ${wrong.map((w) => `${w.label} → ${w.status}`).join('; ')}.`,
  );
}

/** The JSON body without `instance` (a per-occurrence URI, RFC 9457 §3.1.5), or the text when not JSON. */
function comparable(r: HttpResponse): string {
  if (r.json && typeof r.json === 'object' && !Array.isArray(r.json)) {
    const { instance: _instance, ...rest } = r.json as Record<string, unknown>;
    return JSON.stringify(rest);
  }
  return r.text;
}

const sameAnswer = (a: HttpResponse, b: HttpResponse): boolean =>
  a.status === b.status &&
  (a.headers['content-type'] ?? '') === (b.headers['content-type'] ?? '') &&
  comparable(a) === comparable(b);

/** Bits a token can carry: its length times log2 of the smallest usual alphabet holding its characters. */
function tokenBits(t: string): number {
  const alphabet = /^[0-9]+$/.test(t)
    ? 10
    : /^[0-9a-f]+$/i.test(t)
      ? 16
      : /^[A-Za-z0-9_-]+=*$/.test(t)
        ? 64
        : 64;
  return t.replace(/=+$/, '').length * Math.log2(alphabet);
}

export const securityChecks = [
  defineCheck('s-password-storage', async (ctx) => {
    const password = newPassword(ctx);
    const a = await register(ctx, 'storage', password);
    const b = await register(ctx, 'storage', password);
    const row = async (acc: Account) =>
      (
        await ctx.db.query<{ j: Record<string, unknown> }>(
          'SELECT to_jsonb(u) AS j FROM users u WHERE id = $1',
          [acc.id],
        )
      )[0]?.j ?? {};
    const ra = await row(a);
    const rb = await row(b);
    expect(typeof ra.password_hash === 'string', 'The users row has no password_hash.');
    const values = Object.values(ra).filter((v): v is string => typeof v === 'string');
    must(ctx, passwordStorage(values, password, String(rb.password_hash)));
  }),

  defineCheck('s-jwt-alg-none', (ctx) => forgeriesRefused(ctx, algNone)),
  defineCheck('s-jwt-signature', (ctx) => forgeriesRefused(ctx, badSignatures)),
  defineCheck('s-jwt-algorithm', (ctx) => forgeriesRefused(ctx, (v) => otherAlgorithms(v, podKey(ctx)))),
  defineCheck('s-jwt-expiry', (ctx) => forgeriesRefused(ctx, (v) => badTimes(v, podKey(ctx)))),

  defineCheck('s-refresh-reuse', async (ctx) => {
    const s = await session(ctx, 'reuse');
    const next = tokensOf(await refresh(ctx, s.refresh), 'The first refresh');
    const replay = await refresh(ctx, s.refresh);
    const after = await refresh(ctx, next.refresh);
    ctx.evidence.statuses = { replay: replay.status, newest_after_replay: after.status };
    expect(replay.status === 401, `Replaying a used refresh token answered ${replay.status}, expected 401.`);
    expect(
      after.status === 401,
      `After a replay, the newest refresh token of the family still answered ${after.status}: the family must be revoked.`,
    );
  }),

  defineCheck('s-logout-revokes', async (ctx) => {
    const s = await session(ctx, 'logout');
    const out = await send(ctx, 'POST', '/logout', { refresh_token: s.refresh }, s.auth);
    expect(out.status === 204, `POST /logout answered ${out.status}, expected 204.`);
    const me = await meStatus(ctx, s.access);
    const r = await refresh(ctx, s.refresh);
    ctx.evidence.after_logout = { access: me, refresh: r.status };
    expect(me === 401, `The access token still answered ${me} after logout.`);
    expect(r.status === 401, `The refresh token still answered ${r.status} after logout.`);
  }),

  defineCheck('s-logout-all', async (ctx) => {
    const s = await session(ctx, 'everywhere');
    const other = await relogin(ctx, s);
    const out = await send(ctx, 'POST', '/logout-all', undefined, s.auth);
    expect(out.status === 204, `POST /logout-all answered ${out.status}, expected 204.`);
    const states = {
      this_access: await meStatus(ctx, s.access),
      other_access: await meStatus(ctx, other.access),
      other_refresh: (await refresh(ctx, other.refresh)).status,
    };
    ctx.evidence.after_logout_all = states;
    const alive = Object.entries(states).filter(([, st]) => st !== 401);
    expect(
      alive.length === 0,
      `After logging out everywhere, still accepted: ${alive.map(([k, st]) => `${k} → ${st}`).join(', ')}.`,
    );
    const fresh = tokensOf(await login(ctx, s.email, s.password), 'A new login after logging out everywhere');
    expect(
      (await meStatus(ctx, fresh.access)) === 200,
      'A new login after logging out everywhere does not work.',
    );
  }),

  defineCheck('s-enumeration-response', async (ctx) => {
    const a = await register(ctx, 'enum');
    const wrongPassword = await login(ctx, a.email, newPassword(ctx));
    const unknown = await login(ctx, newEmail(ctx, 'nobody'), newPassword(ctx));
    ctx.evidence.login = [wrongPassword, unknown].map((r) => ({
      status: r.status,
      body: r.text.slice(0, 300),
    }));
    expect(wrongPassword.status === 401, `A wrong password answered ${wrongPassword.status}, expected 401.`);
    expect(
      sameAnswer(wrongPassword, unknown),
      'A login with an unknown e-mail is answered differently from one with a wrong password: accounts can be enumerated.',
    );
    const resetKnown = await send(ctx, 'POST', '/password-reset', { email: a.email });
    const resetUnknown = await send(ctx, 'POST', '/password-reset', { email: newEmail(ctx, 'nobody') });
    ctx.evidence.reset = [resetKnown, resetUnknown].map((r) => ({
      status: r.status,
      body: r.text.slice(0, 300),
    }));
    expect(
      sameAnswer(resetKnown, resetUnknown),
      'A reset request for an unknown e-mail is answered differently from one for a registered e-mail.',
    );
  }),

  defineCheck(
    's-enumeration-timing',
    async (ctx) => {
      // Each account fails at most 4 times (under the per-account limit of 5), each try from its own client.
      const accounts: Account[] = [];
      for (let i = 0; i < 8; i++) accounts.push(await register(ctx, 'timing'));
      const known: number[] = [];
      const unknown: number[] = [];
      const tryKnown = async (i: number) => (await login(ctx, accounts[i % 8]!.email, newPassword(ctx))).ms;
      const tryUnknown = async () => (await login(ctx, newEmail(ctx, 'ghost'), newPassword(ctx))).ms;
      await tryUnknown(); // warm-up of the unknown path, not counted
      for (let i = 0; i < 32; i++) {
        // Alternate which goes first, so drift of the machine weighs on both samples alike.
        if (i % 2) {
          known.push(await tryKnown(i));
          unknown.push(await tryUnknown());
        } else {
          unknown.push(await tryUnknown());
          known.push(await tryKnown(i));
        }
      }
      const t = mannWhitney(unknown, known);
      const ratio = median(unknown) / Math.max(median(known), 0.001);
      ctx.evidence.timing = {
        median_ms: { unknown_email: median(unknown), wrong_password: median(known) },
        ratio,
        mann_whitney: t,
        n: known.length,
      };
      // Both a significant difference (p < 0.001) and a large one (a factor of 2 between medians): hashing or
      // not hashing differs by an order of magnitude, scheduling noise by far less.
      expect(
        !(t.p < 0.001 && (ratio < 0.5 || ratio > 2)),
        `Logins with an unknown e-mail take ${median(unknown).toFixed(1)} ms and with a wrong password ${median(known).toFixed(1)} ms (medians of 32, p = ${t.p.toExponential(1)}): the time tells which accounts exist.`,
      );
    },
    { timeoutMs: 120_000 },
  ),

  defineCheck('s-reset-single-use', async (ctx) => {
    const a = await register(ctx, 'once');
    const token = await resetToken(ctx, a.email);
    expect(token, 'No reset token reached the outbox, so single use cannot be judged.');
    const first = await send(ctx, 'POST', '/password-reset/confirm', {
      token,
      new_password: newPassword(ctx),
    });
    expect(first.status === 204, `The first use of the reset token answered ${first.status}.`);
    const second = newPassword(ctx);
    const again = await send(ctx, 'POST', '/password-reset/confirm', { token, new_password: second });
    ctx.evidence.second_use = again.status;
    expect(
      again.status >= 400 && again.status < 500,
      `A second use of the reset token answered ${again.status}.`,
    );
    expect(
      (await login(ctx, a.email, second)).status === 401,
      'The second use of the reset token set a password.',
    );
  }),

  defineCheck('s-reset-expiry', async (ctx) => {
    const a = await register(ctx, 'expiry');
    const token = await resetToken(ctx, a.email);
    expect(token, 'No reset token reached the outbox, so expiry cannot be judged.');
    await ctx.db.query(
      `UPDATE password_resets SET expires_at = now() - interval '1 minute' WHERE user_id = $1`,
      [a.id],
    );
    const next = newPassword(ctx);
    const r = await send(ctx, 'POST', '/password-reset/confirm', { token, new_password: next });
    ctx.evidence.expired_use = r.status;
    expect(r.status >= 400 && r.status < 500, `An expired reset token answered ${r.status}.`);
    expect((await login(ctx, a.email, next)).status === 401, 'An expired reset token set a password.');
  }),

  defineCheck('s-token-storage', async (ctx) => {
    const s = await session(ctx, 'stored');
    const token = await resetToken(ctx, s.email);
    expect(token, 'No reset token reached the outbox, so its storage cannot be judged.');
    const tables = await ctx.db.query<{ t: string }>(
      `SELECT quote_ident(c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'outbox'`,
    );
    const found: string[] = [];
    for (const { t } of tables)
      for (const [what, value] of [
        ['reset token', token],
        ['refresh token', s.refresh],
      ] as const) {
        const rows = await ctx.db.query(
          `SELECT 1 FROM ${t} x WHERE strpos(to_jsonb(x)::text, $1) > 0 LIMIT 1`,
          [value],
        );
        if (rows.length) found.push(`${what} in ${t}`);
      }
    ctx.evidence.tables = tables.map((r) => r.t);
    expect(found.length === 0, `Tokens are stored in plain text: ${found.join(', ')}. Store a digest.`);
  }),

  defineCheck('s-reset-token-strength', async (ctx) => {
    const a = await register(ctx, 'strength');
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await resetToken(ctx, a.email);
      expect(t, 'No reset token reached the outbox.');
      tokens.push(t);
    }
    const bits = Math.min(...tokens.map(tokenBits));
    ctx.evidence.bits = Math.floor(bits);
    ctx.evidence.lengths = tokens.map((t) => t.length);
    expect(new Set(tokens).size === tokens.length, 'Two reset requests got the same token.');
    expect(bits >= 128, `Reset tokens carry at most ${Math.floor(bits)} bits; at least 128 are needed.`);
  }),

  defineCheck('s-bola-user', async (ctx) => {
    const a = await session(ctx, 'bola-a');
    const b = await register(ctx, 'bola-b');
    const own = await send(ctx, 'GET', `/users/${a.id}`, undefined, a.auth);
    expect(
      own.status === 200,
      `GET /users/{own id} answered ${own.status}, so access to others cannot be judged.`,
    );
    const r = await send(ctx, 'GET', `/users/${b.id}`, undefined, a.auth);
    ctx.evidence.other = { status: r.status, body: r.text.slice(0, 200) };
    expect(
      (r.status === 403 || r.status === 404) && !r.text.includes(b.email),
      `A user read another user's record (${r.status}).`,
    );
  }),

  defineCheck('s-bfla-admin', async (ctx) => {
    const admin = await register(ctx, 'bfla-admin');
    await promote(ctx, admin);
    const adminAuth = (await relogin(ctx, admin)).auth;
    const asAdmin = await send(ctx, 'GET', '/users', undefined, adminAuth);
    expect(
      asAdmin.status === 200,
      `GET /users as an administrator answered ${asAdmin.status}, so access cannot be judged.`,
    );
    const u = await session(ctx, 'bfla-user');
    const list = await send(ctx, 'GET', '/users', undefined, u.auth);
    const patch = await send(ctx, 'PATCH', `/users/${u.id}`, { role: 'admin' }, u.auth);
    const role = (await ctx.db.query<{ role: string }>('SELECT role FROM users WHERE id = $1', [u.id]))[0]
      ?.role;
    ctx.evidence.as_user = { list: list.status, patch: patch.status, stored_role: role };
    expect(
      list.status === 403 || list.status === 404,
      `GET /users as a user answered ${list.status}, expected 403.`,
    );
    expect(
      (patch.status === 403 || patch.status === 404) && role === 'user',
      `A user made themself an administrator (PATCH answered ${patch.status}, stored role ${role}).`,
    );
  }),

  defineCheck('s-security-headers', async (ctx) => {
    const a = await register(ctx, 'headers');
    const l = await login(ctx, a.email, a.password);
    const t = tokensOf(l, 'POST /login');
    const me = await send(ctx, 'GET', '/me', undefined, { authorization: `Bearer ${t.access}` });
    const r = await refresh(ctx, t.refresh);
    must(
      ctx,
      securityHeaders(
        [
          ['POST /login', l],
          ['GET /me', me],
          ['POST /token/refresh', r],
        ],
        { authenticated: true },
      ),
      { key: 'token_answers' },
    );
    must(ctx, securityHeaders([['GET /me without a token', await send(ctx, 'GET', '/me')]]), {
      key: 'errors',
    });
  }),
];
