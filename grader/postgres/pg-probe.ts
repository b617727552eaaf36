import { Pool, type PoolClient } from 'pg';
import { analyzePlan, type PlanFinding } from './plan-analysis';

/** One normalized statement the candidate ran during a measured window, with its call count. */
export interface StatementDelta {
  queryid: string;
  query: string;
  calls: number;
  rows: number;
  blocks: number;
}

/** Work the candidate's role did in the database during a measured window (pg_stat_statements deltas). */
export interface DbDelta {
  /** Statements executed (sum of calls); BEGIN/COMMIT/SET do not count (`track_utility = off`). */
  statements: number;
  rows: number;
  /** Shared blocks hit + read. */
  blocks: number;
  temp_blocks_written: number;
  detail: StatementDelta[];
}

interface PgssRow {
  queryid: string;
  query: string;
  calls: string;
  rows: string;
  blks: string;
  temp: string;
}

/**
 * The grader's superuser view of one database: statement counts per request from pg_stat_statements
 * filtered by the candidate's role (so the grader's own statements never count), generic plans of captured
 * statements, table sizes, and the server log. Decisions are made on counts and plan shapes, never wall time
 * (docs/grading.md, "Counting, not timing").
 */
export class PgProbe {
  readonly pool: Pool;

  constructor(
    url: string,
    readonly candidateRole: string,
  ) {
    // Idle connections are kept (idleTimeoutMillis 0): opening one costs ~100 ms against a database under
    // gVisor (a backend fork, measured in a warm orders-api pod), and a warm pod waits longer than the
    // default 10 s idle timeout. {@link PgProbe.connectAll} opens them while the pod waits.
    this.pool = new Pool({
      connectionString: url,
      max: PgProbe.MAX_CONNECTIONS,
      idleTimeoutMillis: 0,
      application_name: 'stackgrade-grader',
    });
    // An idle client whose server goes away makes the pool emit 'error', which would end the grader
    // (node-postgres docs, "Pool: events"); the next query fails instead, and so does its check.
    this.pool.on('error', () => undefined);
  }

  /** Connections the grader holds to one database at most. */
  static readonly MAX_CONNECTIONS = 4;

  /**
   * Opens every connection of the pool (MAX_CONNECTIONS) and returns them to it idle, so that no check or
   * setup pays for a connection. Throws when the database refuses one.
   */
  async connectAll(): Promise<void> {
    const settled = await Promise.allSettled(
      Array.from({ length: PgProbe.MAX_CONNECTIONS }, () => this.pool.connect()),
    );
    for (const c of settled) if (c.status === 'fulfilled') c.value.release();
    const refused = settled.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (refused) throw refused.reason;
  }

  /** Runs a query as superuser and returns its rows. */
  async query<T extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  private async snapshot(): Promise<Map<string, PgssRow>> {
    const rows = await this.query<PgssRow>(
      `SELECT queryid::text, query, calls::text, rows::text, (shared_blks_hit + shared_blks_read)::text AS blks,
              temp_blks_written::text AS temp
         FROM pg_stat_statements
        WHERE userid = to_regrole($1)::oid AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [this.candidateRole],
    );
    return new Map(rows.map((r) => [r.queryid, r]));
  }

  /**
   * Runs `fn` and returns what the candidate's role executed meanwhile. Requests must be sequential:
   * anything else the candidate does in the window is counted too.
   */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; delta: DbDelta }> {
    const before = await this.snapshot();
    const result = await fn();
    const after = await this.snapshot();
    const delta: DbDelta = { statements: 0, rows: 0, blocks: 0, temp_blocks_written: 0, detail: [] };
    for (const [id, a] of after) {
      const b = before.get(id);
      const calls = Number(a.calls) - Number(b?.calls ?? 0);
      if (calls <= 0) continue;
      const d: StatementDelta = {
        queryid: id,
        query: a.query.slice(0, 600),
        calls,
        rows: Number(a.rows) - Number(b?.rows ?? 0),
        blocks: Number(a.blks) - Number(b?.blks ?? 0),
      };
      delta.statements += calls;
      delta.rows += d.rows;
      delta.blocks += d.blocks;
      delta.temp_blocks_written += Number(a.temp) - Number(b?.temp ?? 0);
      delta.detail.push(d);
    }
    delta.detail.sort((x, y) => y.blocks - x.blocks);
    return { result, delta };
  }

  /** Estimated row counts (pg_class.reltuples) of the public tables, by name. */
  async tableSizes(): Promise<Map<string, number>> {
    const rows = await this.query<{ relname: string; n: string }>(
      `SELECT c.relname, GREATEST(c.reltuples, 0)::bigint::text AS n FROM pg_class c
         JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND c.relkind = 'r'`,
    );
    return new Map(rows.map((r) => [r.relname, Number(r.n)]));
  }

  /**
   * The generic plan (FORMAT JSON) of a normalized statement from pg_stat_statements, built as the candidate's
   * role would see it: PREPARE with `plan_cache_mode = force_generic_plan` and one NULL per `$n`
   * (docs/grading.md, "PostgreSQL probes"; the PostgreSQL ≤ 15 fallback of EXPLAIN (GENERIC_PLAN)). Returns
   * null when the statement cannot be prepared (for example DDL or a statement that needs typed parameters).
   */
  async genericPlan(query: string): Promise<unknown> {
    const n = Math.max(0, ...Array.from(query.matchAll(/\$(\d+)/g), (m) => Number(m[1])));
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await client.query('BEGIN');
      await client.query(`SET LOCAL ROLE ${quoteIdent(this.candidateRole)}`);
      await client.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      await client.query(`PREPARE stackgrade_probe AS ${query}`);
      const args = n > 0 ? `(${Array(n).fill('NULL').join(', ')})` : '';
      const r = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE stackgrade_probe${args}`);
      return (r.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN'];
    } catch {
      return null;
    } finally {
      if (client) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
      }
    }
  }

  /**
   * Plan findings ({@link analyzePlan}) of the generic plans of a window's statements: a Seq Scan on a
   * relation above `largeRows` estimated rows (E1), a Nested Loop re-scanning a large relation (E3). Only
   * SELECT/WITH statements are explained. Executed-plan findings (spills, large OFFSET) need
   * {@link capturePlans} instead.
   */
  async planFindings(
    delta: DbDelta,
    largeRows: number,
  ): Promise<{ findings: PlanFinding[]; plans: { query: string; plan: unknown }[] }> {
    const sizes = await this.tableSizes();
    const findings: PlanFinding[] = [];
    const plans: { query: string; plan: unknown }[] = [];
    for (const s of delta.detail) {
      if (!/^\s*(select|with)\b/i.test(s.query)) continue;
      const plan = await this.genericPlan(s.query);
      if (!plan) continue;
      plans.push({ query: s.query, plan });
      findings.push(...analyzePlan(plan, sizes, { largeRows }));
    }
    return { findings, plans };
  }

  /** Current size of the server log (log/postgresql.log), bytes; the log is read through pg_read_file. */
  async logSize(): Promise<number> {
    const r = await this.query<{ size: string }>(
      `SELECT (pg_stat_file('log/postgresql.log')).size::text AS size`,
    );
    return Number(r[0]?.size ?? 0);
  }

  /** The server log from byte `offset` on (at most 4 MiB). */
  async readLog(offset: number): Promise<string> {
    const r = await this.query<{ t: string }>(`SELECT pg_read_file('log/postgresql.log', $1, 4194304) AS t`, [
      offset,
    ]);
    return r[0]?.t ?? '';
  }

  /** Sets a server parameter for new and existing sessions (ALTER SYSTEM + pg_reload_conf). */
  async setSystem(name: string, value: string | null): Promise<void> {
    if (value === null) await this.pool.query(`ALTER SYSTEM RESET ${name}`);
    else await this.pool.query(`ALTER SYSTEM SET ${name} = '${value.replace(/'/g, "''")}'`);
    await this.pool.query('SELECT pg_reload_conf()');
    // Backends pick up SIGHUP at their next command; give them a moment.
    await new Promise((r) => setTimeout(r, 200));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Quotes an SQL identifier. */
export function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
