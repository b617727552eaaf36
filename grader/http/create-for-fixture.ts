import { NotAssessed } from '../check';
import type { HttpClient, HttpRequest, HttpResponse } from './client';

/** Options of {@link createForFixture}. */
export interface FixtureCreateOptions {
  /** Label of the create request in messages, e.g. `POST /orders`. */
  label: string;
  /** Id of the check that judges the create itself, named when the set-up fails (e.g. `c-order-create`). */
  judgedBy?: string;
  /** Where the new resource's id is in a JSON body (default: the body's `id`, else `data.id`). */
  idOf?: (body: unknown) => unknown;
}

/** What {@link createForFixture} made: the new resource's id and the response that created it. */
export interface FixtureCreated {
  /** The id from the body, or the last path segment of `Location` (a number when it is all digits). */
  id: number | string;
  response: HttpResponse;
}

const defaultId = (b: unknown): unknown => {
  if (!b || typeof b !== 'object' || Array.isArray(b)) return undefined;
  const o = b as Record<string, unknown>;
  if (o.id !== undefined) return o.id;
  const d = o.data;
  return d && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>).id : undefined;
};

/**
 * The id a create response reports: from the JSON body (`idOf`), else from the last path segment of its
 * `Location` header (RFC 9110 §10.2.2); digits become a number. Null when neither names one.
 */
export function createdId(
  res: HttpResponse,
  idOf: (body: unknown) => unknown = defaultId,
): number | string | null {
  const fromBody = idOf(res.json);
  if (typeof fromBody === 'number' || (typeof fromBody === 'string' && fromBody !== '')) return fromBody;
  const loc = res.headers.location;
  if (!loc) return null;
  let seg: string | undefined;
  try {
    seg = new URL(loc, 'http://x').pathname.split('/').filter(Boolean).pop();
  } catch {
    return null;
  }
  if (!seg) return null;
  return /^\d+$/.test(seg) ? Number(seg) : decodeURIComponent(seg);
}

/**
 * Creates a resource a check needs as its set-up, accepting any response that achieves it: any 2xx status
 * (the exact code is the property of the create's own check, not of this one) and the id from the body or
 * `Location`. This is the rule "a check judges its own property and nothing else".
 *
 * @throws NotAssessed when the create answered no 2xx or reported no id: the calling check ends
 *   `not_assessed`, naming `judgedBy`, instead of failing for a property it does not judge.
 * @throws HttpError when the service does not answer at all (a fault of the service, judged as a failure).
 */
export async function createForFixture(
  client: HttpClient,
  req: HttpRequest,
  opts: FixtureCreateOptions,
): Promise<FixtureCreated> {
  const response = await client.request(req);
  const evidence = { label: opts.label, status: response.status, body: response.text.slice(0, 300) };
  const owner = opts.judgedBy ? ` (judged by ${opts.judgedBy})` : '';
  if (response.status < 200 || response.status > 299)
    throw new NotAssessed(
      `Not assessed: the set-up needs ${opts.label} to succeed, but it answered ${response.status}${owner}.`,
      opts.judgedBy,
      evidence,
    );
  const id = createdId(response, opts.idOf);
  if (id === null)
    throw new NotAssessed(
      `Not assessed: ${opts.label} answered ${response.status} but reported no id in its body or Location${owner}.`,
      opts.judgedBy,
      evidence,
    );
  return { id, response };
}
