import { z } from 'zod';

/** The five grading categories, in report order. */
export const CATEGORIES = [
  'correctness',
  'api_design',
  'query_optimization',
  'security',
  'performance',
] as const;

/** One grading category. */
export const categorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof categorySchema>;

/**
 * How much of a failed check a candidate sees: `hidden` (only that a check failed), `hint` (its title
 * and message), `full` (also the evidence). The challenge owner always sees everything.
 */
export const visibilitySchema = z.enum(['hidden', 'hint', 'full']);
export type Visibility = z.infer<typeof visibilitySchema>;
