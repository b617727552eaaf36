import { Redis } from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import type { GraderServiceEnv } from '../runner/contract/grader-services.schema';
import { PgProbe } from './postgres/pg-probe';

/** The grader's superuser view of a PostgreSQL service (and of the reference's twin). */
export interface PostgresService {
  kind: 'postgres';
  name: string;
  db: PgProbe;
  ref: PgProbe | null;
}

/**
 * The grader's admin connection to a Redis service (and to the reference's twin): counters (`INFO`), TTLs,
 * keys, and MONITOR for the commands the candidate ran (its ACL user cannot run MONITOR or CLIENT KILL).
 */
export interface RedisService {
  kind: 'redis';
  name: string;
  redis: Redis;
  ref: Redis | null;
  /** The candidate's ACL user. */
  candidateUser: string;
}

/**
 * The grader's superuser view of a MongoDB-compatible service: the database through the official driver
 * (`serverStatus` command counters, indexes, explain), and the PostgreSQL store behind FerretDB, whose
 * `pg_stat_statements` filtered by the candidate's role count the store statements each request caused.
 */
export interface MongodbService {
  kind: 'mongodb';
  name: string;
  client: MongoClient;
  db: Db;
  ref: Db | null;
  /** The store behind FerretDB: statements and plans of the candidate's role. */
  store: PgProbe;
}

/** One database service of the pod, as a check sees it (`ctx.services.<name>`). */
export type ServiceProbe = PostgresService | RedisService | MongodbService;

/** The pod's services by name. */
export type ServiceProbes = Readonly<Record<string, ServiceProbe>>;

/**
 * The service `name` of kind `kind`; throws an Error (a grader error, not a candidate failure) when the
 * challenge has no such service.
 */
export function serviceOf<K extends ServiceProbe['kind']>(
  services: ServiceProbes,
  name: string,
  kind: K,
): Extract<ServiceProbe, { kind: K }> {
  const s = services[name];
  if (!s || s.kind !== kind) throw new Error(`the challenge has no ${kind} service named ${name}`);
  return s as Extract<ServiceProbe, { kind: K }>;
}

function dbName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'test';
}

/** Opened connections of the pod's services, with what {@link verifyAndConnect} and close need. */
export interface OpenedServices {
  probes: ServiceProbes;
  /** Checks every canary and opens every connection; resolves null, or the first problem as text. */
  verifyAndConnect(): Promise<string | null>;
}

/**
 * Creates the probes of the pod's services (no I/O yet for PostgreSQL; Redis and MongoDB clients connect
 * lazily). `verifyAndConnect` checks each canary (PostgreSQL: `stackgrade_private.canary`; MongoDB: the same
 * table in its store; Redis: the admin password itself, random per pod) and opens the connections.
 */
export function openServices(envs: readonly GraderServiceEnv[]): OpenedServices {
  const probes: Record<string, ServiceProbe> = {};
  const checks: (() => Promise<string | null>)[] = [];
  const canaryIn = async (probe: PgProbe, e: GraderServiceEnv): Promise<string | null> => {
    if (!e.canary) return null;
    const rows = await probe
      .query<{ v: string }>('SELECT v FROM stackgrade_private.canary')
      .catch(() => [] as { v: string }[]);
    return rows.some((r) => r.v === e.canary) ? null : `the canary of service ${e.name} did not match`;
  };
  for (const e of envs) {
    if (e.kind === 'postgres') {
      const p: PostgresService = {
        kind: 'postgres',
        name: e.name,
        db: new PgProbe(e.admin_url, e.candidate_user),
        ref: e.ref_admin_url ? new PgProbe(e.ref_admin_url, e.candidate_user) : null,
      };
      probes[e.name] = p;
      checks.push(
        async () =>
          (await canaryIn(p.db, e)) ?? (await Promise.all([p.db.connectAll(), p.ref?.connectAll()]), null),
      );
    } else if (e.kind === 'redis') {
      const opts = { lazyConnect: true, maxRetriesPerRequest: 2, connectionName: 'stackgrade-grader' };
      const p: RedisService = {
        kind: 'redis',
        name: e.name,
        redis: new Redis(e.admin_url, opts),
        ref: e.ref_admin_url ? new Redis(e.ref_admin_url, opts) : null,
        candidateUser: e.candidate_user,
      };
      probes[e.name] = p;
      checks.push(async () => {
        await Promise.all([p.redis.connect(), p.ref?.connect()]);
        return (await p.redis.ping()) === 'PONG' ? null : `service ${e.name} did not answer PING`;
      });
    } else {
      const client = new MongoClient(e.admin_url, { appName: 'stackgrade-grader' });
      const refClient = e.ref_admin_url
        ? new MongoClient(e.ref_admin_url, { appName: 'stackgrade-grader' })
        : null;
      if (!e.store_admin_url) throw new Error(`service ${e.name}: no store URL`);
      const p: MongodbService = {
        kind: 'mongodb',
        name: e.name,
        client,
        db: client.db(dbName(e.admin_url)),
        ref: refClient && e.ref_admin_url ? refClient.db(dbName(e.ref_admin_url)) : null,
        store: new PgProbe(e.store_admin_url, e.candidate_user),
      };
      probes[e.name] = p;
      checks.push(async () => {
        const problem = await canaryIn(p.store, e);
        if (problem) return problem;
        await Promise.all([client.connect(), refClient?.connect(), p.store.connectAll()]);
        return null;
      });
    }
  }
  return {
    probes,
    async verifyAndConnect() {
      for (const check of checks) {
        const problem = await check().catch(
          (err: unknown) => `service: ${err instanceof Error ? err.message : String(err)}`,
        );
        if (problem) return problem;
      }
      return null;
    },
  };
}
