import { z } from 'zod';
import { categorySchema } from '../../runner/contract/categories';
import { runtimeIdSchema } from '../../runner/contract/runtime-selection';

/** One challenge in `GET /v1/challenges`. */
export const challengeSummaryViewSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  summary: z.string(),
  runtimes: z.array(z.string()),
  /** Category → weight of the overall score. */
  categories: z.record(categorySchema, z.number()),
  links: z.object({ self: z.string(), starter: z.string() }),
});
export type ChallengeSummaryView = z.infer<typeof challengeSummaryViewSchema>;

/** Body of `GET /v1/challenges`. */
export const challengeListViewSchema = z.object({ data: z.array(challengeSummaryViewSchema) });
export type ChallengeListView = z.infer<typeof challengeListViewSchema>;

/**
 * Body of `GET /v1/challenges/:id`: the summary plus the statement (markdown), the starters per runtime, the
 * public check list (each
 * with its `practice` flag) and `practice_allowed`: whether a practice run (`POST /v1/submissions` with
 * `mode: practice`, no candidate session) would be accepted, i.e. the challenge has practice checks and its
 * organisation accepts open submissions.
 */
export const challengeDetailViewSchema = challengeSummaryViewSchema.extend({
  statement: z.string(),
  /** The starter of each runtime the challenge has one for (`starter/`'s first): where to download it. */
  starters: z.array(z.object({ runtime: runtimeIdSchema, href: z.string() })),
  checks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      category: categorySchema,
      weight: z.number(),
      practice: z.boolean(),
    }),
  ),
  practice_allowed: z.boolean(),
});
export type ChallengeDetailView = z.infer<typeof challengeDetailViewSchema>;

/**
 * Query of `GET /v1/challenges/:id/starter`: `runtime` picks the starter written for that runtime (one of the
 * challenge's `starters`); without it, the challenge's `starter/`.
 */
export const starterQuerySchema = z.object({ runtime: runtimeIdSchema.optional() });
