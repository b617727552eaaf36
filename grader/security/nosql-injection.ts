import type { HttpRequest, HttpClient, HttpResponse } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';

/**
 * Operator payloads of a NoSQL (MongoDB) operator injection, sent where a scalar is expected (ZAP rule 40033
 * `MongoDbInjectionScanRule`; docs/grading.md S-22): each matches any stored value when the server passes
 * client JSON into a filter.
 */
export const NOSQL_OPERATOR_PAYLOADS: readonly unknown[] = [
  { $ne: null },
  { $ne: '' },
  { $gt: '' },
  { $regex: '.*' },
  { $exists: true },
  { $in: [null, ''] },
];

/** Options of {@link nosqlOperatorInjection}. */
export interface NosqlInjectionOptions {
  /** Builds the request with `value` in the field under test (e.g. the password of a login). */
  request: (value: unknown) => HttpRequest;
  /** A wrong scalar value: its response is the failure baseline (e.g. a wrong password → 401). */
  wrongValue: string;
  /** Whether a response counts as success (default: 2xx). */
  succeeded?: (r: HttpResponse) => boolean;
}

/**
 * NoSQL operator injection by differential (ZAP 40033): the wrong scalar must fail (baseline), and every
 * operator payload must fail too (attack = failure baseline). An operator that succeeds where a wrong value
 * fails reached a query filter as an operator (OWASP API8:2023). DB-side confirmation via the profiler
 * (`command.filter` holding the operator) is possible with {@link profileOps} on MongoDB (not on FerretDB 1.x).
 */
export async function nosqlOperatorInjection(client: HttpClient, o: NosqlInjectionOptions): Promise<Verdict> {
  const ok = o.succeeded ?? ((r: HttpResponse) => r.status >= 200 && r.status < 300);
  const base = await client.request(o.request(o.wrongValue));
  const attacks: { payload: unknown; status: number; succeeded: boolean }[] = [];
  for (const p of NOSQL_OPERATOR_PAYLOADS) {
    const r = await client.request(o.request(p));
    attacks.push({ payload: p, status: r.status, succeeded: ok(r) });
  }
  const evidence = { baseline: { value: o.wrongValue, status: base.status }, attacks };
  if (ok(base))
    return failed(
      'The baseline with a wrong value succeeded, so the probe cannot tell injection apart.',
      evidence,
      'API8:2023',
    );
  const hit = attacks.find((a) => a.succeeded);
  if (hit)
    return failed(
      `A query operator sent as a value (${JSON.stringify(hit.payload)}) succeeded where a wrong value fails: client JSON reaches a database filter (NoSQL injection).`,
      evidence,
      'API8:2023',
    );
  if (attacks.some((a) => a.status >= 500))
    return failed(
      'A query operator sent as a value made the service fail with a 5xx.',
      evidence,
      'API8:2023',
    );
  return passed(evidence, 'API8:2023');
}
