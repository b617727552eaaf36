import { failed, passed, type Verdict } from '../verdict';
import type { HttpClient, HttpResponse } from './client';

/** Options of {@link createdWithLocation}. */
export interface CreatedWithLocationOptions {
  /** Headers for the follow-up GET (credentials). */
  headers?: Record<string, string>;
  /** Where the new resource's id is in a JSON body (default: the body's `id`). */
  idOf?: (body: unknown) => unknown;
  /** Label of the create request in messages, e.g. `POST /orders`. */
  label: string;
}

const defaultId = (b: unknown): unknown =>
  b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>).id : undefined;

/**
 * Passes when a create answered 201 with a `Location` header (RFC 9110 §15.3.2) that resolves: GET on it
 * answers 200 with the same id as the create response (docs/grading.md API-01). Relative and absolute
 * Location values are accepted; only the path and query are followed (the probe never leaves the service).
 */
export async function createdWithLocation(
  client: HttpClient,
  res: HttpResponse,
  opts: CreatedWithLocationOptions,
): Promise<Verdict> {
  const idOf = opts.idOf ?? defaultId;
  const id = idOf(res.json);
  const loc = res.headers.location;
  const evidence: Record<string, unknown> = { status: res.status, location: loc ?? null, id: id ?? null };
  if (res.status !== 201)
    return failed(`${opts.label} answered ${res.status}, expected 201 Created.`, evidence);
  if (!loc) return failed(`${opts.label}: 201 Created must carry a Location header.`, evidence);
  let path: string;
  try {
    const u = new URL(loc, client.baseUrl);
    path = `${u.pathname}${u.search}`;
  } catch {
    return failed(`${opts.label}: Location ${loc} is not a URI reference.`, evidence);
  }
  const g = await client.request({ path, headers: opts.headers });
  evidence.get = { path, status: g.status, id: idOf(g.json) ?? null };
  if (g.status !== 200 || idOf(g.json) !== id || id === undefined)
    return failed(
      `GET on the Location of the resource created by ${opts.label} does not return it.`,
      evidence,
    );
  return passed(evidence);
}
