import { compareThroughput, defineCheck } from '../../../grader';
import { fx } from './fixtures';

/**
 * Closed-loop load settings shared by the performance checks (docs/grading.md, "Performance ratios"):
 * windows of 0.5 s per service, decided sequentially after 3 pairs at the earliest and 12 at the most.
 */
const LOAD = { connections: 8, windowS: 0.5, minRuns: 3, maxRuns: 12, minRatio: 0.5 } as const;

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
