import { capturePlans, defineCheck, expect, type CheckContext } from '../../../grader';
import { login, refresh, register, session, tokensOf } from './fixtures';

/** Tables above this many rows must not be read by a sequential scan on a request (users: 100,000 seeded). */
const LARGE_RELATION_ROWS = 50_000;

async function noLargeSeqScan(ctx: CheckContext, label: string, fn: () => Promise<unknown>): Promise<void> {
  const { plans, findings } = await capturePlans(ctx.db, fn, { largeRows: LARGE_RELATION_ROWS });
  const seq = findings.filter((f) => f.kind === 'seq_scan_large');
  ctx.evidence[label] = { statements: plans.map((p) => p.query.slice(0, 200)), findings };
  expect(plans.length > 0, `${label}: no statement of the service's database role was seen.`);
  expect(
    seq.length === 0,
    `${label} reads a large table with a sequential scan (${seq.map((f) => f.relation).join(', ')}): an index on the looked-up column is missing.`,
  );
}

export const queryChecks = [
  defineCheck('q-login-index', async (ctx) => {
    const a = await register(ctx, 'qlogin');
    await noLargeSeqScan(ctx, 'POST /login', async () => {
      const r = await login(ctx, a.email, a.password);
      expect(r.status === 200, `POST /login answered ${r.status}.`);
    });
  }),

  defineCheck('q-refresh-index', async (ctx) => {
    const s = await session(ctx, 'qrefresh');
    await noLargeSeqScan(ctx, 'POST /token/refresh', async () => {
      tokensOf(await refresh(ctx, s.refresh), 'POST /token/refresh');
    });
  }),
];
