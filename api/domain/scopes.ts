import { z } from 'zod';

/**
 * What an API key may do, one scope per family of owner routes (`<resource>:<action>`, the form of OAuth 2.0
 * scopes, RFC 6749 §3.3):
 * - `assessments:read`: list and read the organisation's assessments and invites;
 * - `assessments:write`: create assessments and invite candidates;
 * - `results:read`: results of assessments (JSON, CSV), full reports (`?view=owner`, JUnit XML);
 * - `challenges:write`: change the organisation's challenge settings (anonymous practice);
 * - `webhooks:write`: manage webhooks, read their delivery log, ask for redeliveries.
 */
export const SCOPES = [
  'assessments:read',
  'assessments:write',
  'results:read',
  'challenges:write',
  'webhooks:write',
] as const;

/** One of {@link SCOPES}. */
export const scopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof scopeSchema>;

/**
 * Parses a comma-separated scope list (`assessments:write,results:read`); `*` means every scope.
 *
 * @throws Error naming the first unknown scope.
 */
export function parseScopeList(text: string): Scope[] {
  if (text.trim() === '*') return [...SCOPES];
  const scopes = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const s of scopes) {
    if (!scopeSchema.safeParse(s).success) {
      throw new Error(`unknown scope ${s}; known: ${SCOPES.join(', ')}`);
    }
  }
  return [...new Set(scopes)] as Scope[];
}
