import { compareThroughput, defineCheck } from '../../../grader';
import { fx } from './fixtures';

/**
 * Closed-loop load settings shared by the performance checks (docs/grading.md, "Performance ratios"):
 * a 1 s warm-up each, then windows of 1 s per service, decided sequentially after 3 pairs at the earliest
 * and 6 (today's 6 s of load per service) at the most.
 */
const LOAD = { connections: 8, warmupS: 1, windowS: 1, minRuns: 3, maxRuns: 6, minRatio: 0.5 } as const;

export const performanceChecks = [
  defineCheck('p-product-get', async (ctx) => {
    const paths = Array.from({ length: 64 }, () => `/products/${ctx.rng.int(1, 20000)}`);
    await compareThroughput(ctx, { paths, ...LOAD });
  }),
  defineCheck('p-order-list', async (ctx) => {
    await compareThroughput(ctx, { paths: ['/orders?limit=20'], headers: fx(ctx).heavyA.auth, ...LOAD });
  }),
  defineCheck('p-product-search', async (ctx) => {
    const w = fx(ctx).searchWord;
    await compareThroughput(ctx, {
      paths: [`/products?q=${encodeURIComponent(w)}&limit=20`, `/products?limit=20`],
      ...LOAD,
    });
  }),
];
