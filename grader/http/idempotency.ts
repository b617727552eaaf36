import { failed, passed, type Verdict } from '../verdict';
import type { HttpClient, HttpResponse } from './client';

/** Options of {@link idempotentCreate}. */
export interface IdempotencyOptions {
  path: string;
  body: unknown;
  /** Another valid body: sent with the same key, it must be refused with 422 (IETF draft §2.7) when given. */
  otherBody?: unknown;
  headers?: Record<string, string>;
  /** The key (a random one per run; never reuse across checks). */
  key: string;
  /** Header name (default `Idempotency-Key`, draft-ietf-httpapi-idempotency-key-header). */
  header?: string;
  /** Rows the create makes, read as superuser (e.g. `SELECT count(*) FROM orders WHERE customer_id = $1`). */
  count: () => Promise<number>;
  /** Where the resource id is in the body (default `id`). */
  idOf?: (body: unknown) => unknown;
}

const defaultId = (b: unknown): unknown =>
  b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>).id : undefined;

/**
 * Sends the same create twice with one idempotency key and passes when the replay answers the same status and
 * resource id and exactly one row was stored; with `otherBody`, reusing the key for a different payload must
 * answer 422 and store nothing (docs/grading.md API-16; draft-ietf-httpapi-idempotency-key-header).
 */
export async function idempotentCreate(client: HttpClient, opts: IdempotencyOptions): Promise<Verdict> {
  const idOf = opts.idOf ?? defaultId;
  const headers = { ...opts.headers, [opts.header ?? 'Idempotency-Key']: opts.key };
  const before = await opts.count();
  const send = (body: unknown): Promise<HttpResponse> =>
    client.request({ method: 'POST', path: opts.path, headers, body });
  const a = await send(opts.body);
  const b = await send(opts.body);
  const mid = await opts.count();
  const evidence: Record<string, unknown> = {
    first: { status: a.status, id: idOf(a.json) ?? null },
    replay: { status: b.status, id: idOf(b.json) ?? null },
    rows_created: mid - before,
  };
  if (a.status < 200 || a.status >= 300)
    return failed(`POST ${opts.path} answered ${a.status}, expected a 2xx.`, evidence);
  if (b.status !== a.status || idOf(b.json) !== idOf(a.json))
    return failed(
      `Repeating POST ${opts.path} with the same idempotency key answered ${b.status} with another resource instead of replaying the first answer.`,
      evidence,
    );
  if (mid - before !== 1)
    return failed(
      `Two POST ${opts.path} with one idempotency key stored ${mid - before} resources, expected 1.`,
      evidence,
    );
  if (opts.otherBody !== undefined) {
    const c = await send(opts.otherBody);
    const end = await opts.count();
    evidence.other_body = { status: c.status, rows_created: end - mid };
    if (c.status !== 422 || end !== mid)
      return failed(
        `Reusing an idempotency key with a different body answered ${c.status}, expected 422 and nothing stored.`,
        evidence,
      );
  }
  return passed(evidence);
}
