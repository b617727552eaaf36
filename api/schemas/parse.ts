import type { z } from 'zod';
import { AppError } from '../../runner/contract/app-error';

/**
 * Parses request input with a zod schema.
 *
 * @param what - names the input in the error ("the request body", "the query").
 * @throws AppError `VALIDATION_FAILED` (422) with the zod issues as problem `errors`.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `${what} is invalid; see errors`, {
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}
