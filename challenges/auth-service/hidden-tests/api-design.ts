import { defineCheck, expect, methodNotAllowed, must, problemJson, allOf } from '../../../grader';
import { newEmail, register, send } from './fixtures';

export const apiDesignChecks = [
  defineCheck('a-problem-json', async (ctx) => {
    const a = await register(ctx, 'problem');
    const v = allOf({
      unauthorized: problemJson(await send(ctx, 'GET', '/me'), 401, 'GET /me without a token'),
      invalid: problemJson(
        await send(ctx, 'POST', '/register', { email: 'not-an-address', password: 'zqxjvkwm zqxj' }),
        422,
        'POST /register with an invalid e-mail',
      ),
      conflict: problemJson(
        await send(ctx, 'POST', '/register', { email: a.email, password: 'zqxjvkwm zqxj' }),
        409,
        'POST /register of a taken e-mail',
      ),
      failed_login: problemJson(
        await send(ctx, 'POST', '/login', { email: a.email, password: 'zqxjvkwm zqxj' }),
        401,
        'POST /login with a wrong password',
      ),
      not_found: problemJson(await send(ctx, 'GET', '/no-such-endpoint'), 404, 'GET /no-such-endpoint'),
    });
    must(ctx, v);
  }),

  defineCheck('a-malformed-json', async (ctx) => {
    const r = await send(ctx, 'POST', '/register', '{"email": "a@b.example", "password": ', {
      'content-type': 'application/json',
    });
    expect(r.status === 400, `A body that is not JSON answered ${r.status}, expected 400.`);
  }),

  defineCheck('a-validation', async (ctx) => {
    const cases: [string, string, unknown][] = [
      ['POST /register without fields', '/register', {}],
      ['POST /register with a numeric e-mail', '/register', { email: 5, password: 'zqxjvkwm zqxj' }],
      ['POST /register with a JSON array', '/register', [newEmail(ctx, 'arr')]],
      ['POST /login without a password', '/login', { email: newEmail(ctx, 'v') }],
      ['POST /token/refresh without a token', '/token/refresh', {}],
      [
        'POST /password-reset/confirm without a token',
        '/password-reset/confirm',
        { new_password: 'zqxjvkwm zqxj' },
      ],
    ];
    const wrong: string[] = [];
    for (const [label, path, body] of cases) {
      const r = await send(ctx, 'POST', path, body);
      if (r.status !== 422) wrong.push(`${label} → ${r.status}`);
    }
    expect(wrong.length === 0, `Invalid bodies must answer 422: ${wrong.join('; ')}.`);
  }),

  defineCheck('a-bearer-challenge', async (ctx) => {
    const none = await send(ctx, 'GET', '/me');
    const bad = await send(ctx, 'GET', '/me', undefined, { authorization: 'Bearer not.a.token' });
    const wrong = [
      ['no token', none],
      ['an invalid token', bad],
    ].filter(([, r]) => {
      const res = r as typeof none;
      return res.status !== 401 || !/^bearer\b/i.test(res.headers['www-authenticate'] ?? '');
    });
    ctx.evidence.answers = [none, bad].map((r) => ({
      status: r.status,
      www_authenticate: r.headers['www-authenticate'] ?? null,
    }));
    expect(
      wrong.length === 0,
      `GET /me with ${wrong.map(([l]) => l).join(' and ')} must answer 401 with WWW-Authenticate: Bearer.`,
    );
  }),

  defineCheck('a-method-not-allowed', async (ctx) => {
    must(
      ctx,
      await methodNotAllowed(ctx.app, [
        { method: 'GET', path: '/login', allow: ['POST'] },
        { method: 'DELETE', path: '/me', allow: ['GET'] },
      ]),
    );
  }),
];
