import { HttpError, type HttpResponse } from '../http/client';
import type { PgProbe } from '../postgres/pg-probe';
import { failed, passed, type Verdict } from '../verdict';

/** Options of {@link sqlInjection}. */
export interface SqlInjectionOptions {
  /** Sends one payload through the input under test (query parameter, body field, header). */
  send: (payload: string) => Promise<HttpResponse>;
  /** Random canary for this run (letters and digits; e.g. `zq` + `ctx.rng.token(10)`). */
  canary: string;
  /** Rows a response returned (tautologies must not return any); default: length of `data` or of a top-level array. */
  rowsOf?: (r: HttpResponse) => number;
  /** Failure messages in the challenge's own words (defaults name "the input"). */
  messages?: { inStatement?: string; tautology?: string; serverError?: string };
}

const defaultRows = (r: HttpResponse): number => {
  if (r.status !== 200) return 0;
  if (Array.isArray(r.json)) return r.json.length;
  const d = (r.json as { data?: unknown } | undefined)?.data;
  return Array.isArray(d) ? d.length : 0;
};

/**
 * SQL injection confirmed on the database side (docs/grading.md S-20/S-21; OWASP API8:2023): with
 * `log_statement = 'all'`, a canary sent as a bound parameter appears only in `DETAIL: parameters:` lines,
 * while string-built SQL puts it in the statement text. Also fails when a tautology payload made the query
 * return rows (the canary matches nothing) or a quote made the service answer 5xx. Needs the server log
 * readable through `pg_read_file` (superuser; `logging_collector` on, as in stackgrade/postgres15).
 */
export async function sqlInjection(db: PgProbe, o: SqlInjectionOptions): Promise<Verdict> {
  const rowsOf = o.rowsOf ?? defaultRows;
  const c = o.canary;
  const before = await db.logSize();
  await db.setSystem('log_statement', 'all');
  const probes: { payload: string; status: number | null; rows: number; error: string | null }[] = [];
  try {
    for (const q of [`${c}'`, `${c}' OR '1'='1`, `${c}%' OR '1'='1' --`, `${c}') OR ('1'='1`]) {
      try {
        const r = await o.send(q);
        probes.push({ payload: q, status: r.status, rows: rowsOf(r), error: null });
      } catch (err) {
        // No answer or an oversized one (a tautology that returned a whole table): a failure of the service.
        if (!(err instanceof HttpError)) throw err;
        probes.push({ payload: q, status: null, rows: 0, error: err.message });
      }
    }
    await db.query(`SELECT 'stackgrade-marker-${c}'`);
  } finally {
    await db.setSystem('log_statement', null);
  }
  let log = '';
  for (let i = 0; i < 40 && !log.includes(`stackgrade-marker-${c}`); i++) {
    await new Promise((r) => setTimeout(r, 100));
    log = await db.readLog(before);
  }
  const inStatements = log
    .split('\n')
    .filter((l) => l.includes(c) && !l.includes('stackgrade-marker') && !/DETAIL:\s+parameters:/.test(l));
  const evidence = { probes, statement_log: inStatements.slice(0, 3).map((l) => l.slice(0, 300)) };
  if (inStatements.length)
    return failed(
      o.messages?.inStatement ??
        'The input is put into the SQL statement itself: it must be sent as a bound parameter (SQL injection).',
      evidence,
      'API8:2023',
    );
  if (probes.some((p) => p.rows > 0))
    return failed(
      o.messages?.tautology ??
        'An input containing a quote changed which rows the query returns (SQL injection).',
      evidence,
      'API8:2023',
    );
  if (probes.some((p) => p.status === null || p.status >= 500))
    return failed(
      o.messages?.serverError ??
        'An input containing a quote made the service fail (5xx or no proper answer).',
      evidence,
      'API8:2023',
    );
  return passed(evidence, 'API8:2023');
}
