import { compareThroughput, defineCheck, expect } from '../../../grader';
import { newEmail, newPassword, session } from './fixtures';

/** Closed-loop load settings shared by the performance checks (docs/grading.md, "Performance ratios"). */
const LOAD = { connections: 8, durationS: 1.5, runs: 3, minRatio: 0.5 } as const;

export const performanceChecks = [
  defineCheck('p-me', async (ctx) => {
    const s = await session(ctx, 'perf');
    // The reference keeps its accounts in its own database: it issues its own token.
    const ref = ctx.ref!;
    const email = newEmail(ctx, 'perf-ref');
    const password = newPassword(ctx);
    await ref.request({ method: 'POST', path: '/register', body: { email, password } });
    const l = await ref.request({ method: 'POST', path: '/login', body: { email, password } });
    const refToken = (l.json as { access_token?: string } | undefined)?.access_token;
    expect(refToken, `grader: the reference did not log in (${l.status})`);
    await compareThroughput(ctx, {
      paths: ['/me'],
      headers: s.auth,
      refHeaders: { authorization: `Bearer ${refToken}` },
      ...LOAD,
    });
  }),
];
