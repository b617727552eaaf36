/**
 * Performance checks of catalog-search: throughput of product detail and of search as a ratio to the
 * reference solution in the same pod, each against its own copy of the data (docs/grading.md, "Performance
 * ratios"). The partner key is used, whose rate limit the load never reaches.
 */
import { compareThroughput, defineCheck } from '../../../grader';
import { partnerKey } from './fixtures';

export const performanceChecks = [
  defineCheck(
    'p-product-detail',
    async (ctx) => {
      const paths = Array.from({ length: 40 }, (_, i) => `/products/${101 + i * 37}`);
      await compareThroughput(ctx, { paths, headers: { 'x-api-key': partnerKey(ctx) } });
    },
    { timeoutMs: 120_000 },
  ),
  defineCheck(
    'p-search',
    async (ctx) => {
      const paths = ['jewelry', 'crafts', 'outdoor', 'health'].flatMap((c) => [
        `/products?category=${c}&limit=20`,
        `/products?category=${c}&sort=rating&in_stock=true&limit=20`,
      ]);
      await compareThroughput(ctx, { paths, headers: { 'x-api-key': partnerKey(ctx) } });
    },
    { timeoutMs: 120_000 },
  ),
];
