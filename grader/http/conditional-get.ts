import { failed, passed, type Verdict } from '../verdict';
import type { HttpClient } from './client';

/** Options of {@link conditionalGet}. */
export interface ConditionalGetOptions {
  path: string;
  headers?: Record<string, string>;
  /** Changes the resource (e.g. a PATCH); then its ETag must change (docs/grading.md API-17). */
  mutate?: () => Promise<void>;
}

/**
 * Passes when GET `path` answers 200 with an `ETag`, the same GET with `If-None-Match: <etag>` answers 304
 * with an empty body (RFC 9110 §13.1.2, §15.4.5), and, when `mutate` is given, the ETag differs afterwards
 * and the old one no longer yields 304.
 */
export async function conditionalGet(client: HttpClient, opts: ConditionalGetOptions): Promise<Verdict> {
  const h = opts.headers ?? {};
  const first = await client.request({ path: opts.path, headers: h });
  const etag = first.headers.etag;
  const evidence: Record<string, unknown> = { path: opts.path, status: first.status, etag: etag ?? null };
  if (first.status !== 200)
    return failed(`GET ${opts.path} answered ${first.status}, expected 200.`, evidence);
  if (!etag) return failed(`GET ${opts.path} carries no ETag header.`, evidence);
  const again = await client.request({ path: opts.path, headers: { ...h, 'if-none-match': etag } });
  evidence.conditional = { status: again.status, body_bytes: again.text.length };
  if (again.status !== 304 || again.text.length > 0)
    return failed(
      `GET ${opts.path} with If-None-Match of the current ETag answered ${again.status}${again.text ? ' with a body' : ''}, expected 304 without a body.`,
      evidence,
    );
  if (opts.mutate) {
    await opts.mutate();
    const after = await client.request({ path: opts.path, headers: { ...h, 'if-none-match': etag } });
    evidence.after_change = { status: after.status, etag: after.headers.etag ?? null };
    if (after.status === 304 || after.headers.etag === etag)
      return failed(`After a change, GET ${opts.path} still matched the old ETag (a stale 304).`, evidence);
  }
  return passed(evidence);
}
