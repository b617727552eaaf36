import { compareThroughput, defineCheck } from '../../../grader';
import { fx } from './fixtures';

/** Closed-loop load settings shared by the performance checks (docs/grading.md, "Performance ratios"). */
const LOAD = { connections: 8, durationS: 1.5, runs: 3, minRatio: 0.5 } as const;

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
