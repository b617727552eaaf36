import type { HttpClient, HttpRequest } from '../http/client';
import { failed, passed, type Verdict } from '../verdict';

/** Options of {@link bola}. */
export interface BolaOptions {
  /** Requests of the intruder (user B, with B's credentials) on user A's object: reads and writes. */
  attempts: readonly HttpRequest[];
  /** Strings only A's object contains (e.g. a value the grader seeded): must not appear in B's responses. */
  secrets: readonly string[];
  /** Re-reads A's object as superuser and says whether it is unchanged (S-02 "no DB change"). */
  unchanged?: () => Promise<boolean>;
  /** A request by A proving the object exists and is readable by its owner (guards against a 404-for-all service). */
  ownerCheck?: HttpRequest;
}

/**
 * Broken Object Level Authorization between two seeded users (OWASP API1:2023; docs/grading.md S-01/S-02):
 * every attempt must answer 403 or 404 (both accepted), no response may contain A's `secrets`, and A's
 * object must be unchanged in the database. With `ownerCheck`, A must be able to read it (2xx).
 */
export async function bola(client: HttpClient, o: BolaOptions): Promise<Verdict> {
  const seen: { request: string; status: number; leaked: boolean }[] = [];
  let owner: number | null = null;
  if (o.ownerCheck) owner = (await client.request(o.ownerCheck)).status;
  for (const req of o.attempts) {
    const r = await client.request(req);
    seen.push({
      request: `${req.method ?? 'GET'} ${req.path}`,
      status: r.status,
      leaked: o.secrets.some((s) => r.text.includes(s)),
    });
  }
  const same = o.unchanged ? await o.unchanged() : true;
  const evidence = { owner_status: owner, attempts: seen, object_unchanged: same };
  if (owner !== null && (owner < 200 || owner >= 300))
    return failed(`The owner could not read its own object (answered ${owner}).`, evidence, 'API1:2023');
  const wrong = seen.find((s) => s.status !== 403 && s.status !== 404);
  if (wrong)
    return failed(
      `Another user's object was accessible: ${wrong.request} answered ${wrong.status}, expected 403 or 404.`,
      evidence,
      'API1:2023',
    );
  const leak = seen.find((s) => s.leaked);
  if (leak)
    return failed(`The refusal of ${leak.request} leaks the other user's data.`, evidence, 'API1:2023');
  if (!same)
    return failed("Another user's request changed the object in the database.", evidence, 'API1:2023');
  return passed(evidence, 'API1:2023');
}
