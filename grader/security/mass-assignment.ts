import type { HttpClient, HttpRequest, HttpResponse } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';

/** Options of {@link massAssignment}. */
export interface MassAssignmentOptions {
  /** The create/update request, its body already carrying the protected fields. */
  request: HttpRequest;
  /** Protected fields and the values the client tried to set (e.g. `{ role: 'admin', balance: 1e9 }`). */
  injected: Record<string, unknown>;
  /** Reads the stored row/document as superuser (null when nothing was stored). */
  readStored: (res: HttpResponse) => Promise<Record<string, unknown> | null>;
  /** Statuses that count as a safe refusal (default 400 and 422: refusing unknown fields is safe too). */
  refusals?: readonly number[];
}

const same = (a: unknown, b: unknown): boolean => {
  if (a instanceof Date)
    return b instanceof Date ? a.getTime() === b.getTime() : a.getTime() === new Date(String(b)).getTime();
  if (typeof a === 'bigint' || typeof b === 'bigint') return String(a) === String(b);
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return JSON.stringify(a) === JSON.stringify(b);
};

/**
 * Mass assignment checked in the stored row (OWASP API3:2023; docs/grading.md S-06): the request either is
 * refused (`refusals`) or succeeds with none of the injected values stored. Deciding on the database, not the
 * response, catches services that echo a sanitised body but stored the client's fields.
 */
export async function massAssignment(client: HttpClient, o: MassAssignmentOptions): Promise<Verdict> {
  const res = await client.request(o.request);
  const evidence: Record<string, unknown> = { status: res.status, injected: o.injected };
  if ((o.refusals ?? [400, 422]).includes(res.status))
    return passed({ ...evidence, refused: true }, 'API3:2023');
  if (res.status < 200 || res.status >= 300)
    return failed(
      `${o.request.method ?? 'GET'} ${o.request.path} with extra fields answered ${res.status}.`,
      evidence,
      'API3:2023',
    );
  const stored = await o.readStored(res);
  evidence.stored = stored;
  if (!stored) return failed('The created object is not stored.', evidence, 'API3:2023');
  const taken = Object.entries(o.injected)
    .filter(([k, v]) => k in stored && same(stored[k], v))
    .map(([k]) => k);
  if (taken.length)
    return failed(
      `Client-supplied ${taken.join(', ')} ${taken.length > 1 ? 'were' : 'was'} stored: the server must set ${taken.length > 1 ? 'them' : 'it'}.`,
      { ...evidence, stored_fields: taken },
      'API3:2023',
    );
  return passed(evidence, 'API3:2023');
}
