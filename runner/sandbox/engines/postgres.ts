import type { PostgresServiceDefinition } from '../../contract/challenge-manifest.schema';
import type { DatabaseEngine, ServiceInstance } from './engine';

/** `postgres://user:password@127.0.0.1:port/database` (password percent-encoded). */
export function postgresUrl(user: string, password: string, port: number, database: string): string {
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * PostgreSQL 15 (sandbox-images/postgres15): the challenge's seeded image started by `stackgrade-pg-start`,
 * the candidate's role without superuser rights, `pg_stat_statements` and `auto_explain` loaded.
 */
export const postgresEngine: DatabaseEngine<PostgresServiceDefinition> = {
  kind: 'postgres',
  candidateUser: (svc) => svc.candidate_role,
  containerEnv: (i: ServiceInstance<PostgresServiceDefinition>) => [
    `PG_PORT=${i.port}`,
    `ADMIN_PASSWORD=${i.adminPassword}`,
    `CANDIDATE_PASSWORD=${i.candidatePassword}`,
    `DB_NAME=${i.svc.database}`,
    `CANDIDATE_ROLE=${i.svc.candidate_role}`,
    `DB_CANARY=${i.canary}`,
  ],
  candidateUrl: (i) => postgresUrl(i.svc.candidate_role, i.candidatePassword, i.port, i.svc.database),
  adminUrl: (i) => postgresUrl('stackgrade_admin', i.adminPassword, i.port, i.svc.database),
  storeAdminUrl: () => null,
};
