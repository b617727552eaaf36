import type { MongodbServiceDefinition } from '../../contract/challenge-manifest.schema';
import type { DatabaseEngine, ServiceInstance } from './engine';
import { postgresUrl } from './postgres';

/** Offset of the PostgreSQL store behind FerretDB from the service's port (servicePorts in the manifest). */
export const MONGODB_STORE_PORT_OFFSET = 10_000;

/**
 * `mongodb://user:password@127.0.0.1:port/database?authMechanism=PLAIN`: FerretDB 1.x authenticates a
 * client as the PostgreSQL role of its credentials, which it receives by SASL PLAIN (FerretDB docs,
 * "Authentication"); the official drivers of every runtime support the mechanism.
 */
function mongodbUrl(user: string, password: string, port: number, database: string): string {
  return `mongodb://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}?authMechanism=PLAIN&directConnection=true`;
}

const storePort = (i: ServiceInstance<MongodbServiceDefinition>): number =>
  i.port + MONGODB_STORE_PORT_OFFSET;

/**
 * MongoDB wire protocol by FerretDB 1.24 on a PostgreSQL 15 store in the same container
 * (sandbox-images/mongodb). The candidate's user is a store role that owns its MongoDB database (a schema)
 * and nothing else; the grader is the store's superuser and also reads the store directly (statements by
 * the candidate's role, plans, index use).
 */
export const mongodbEngine: DatabaseEngine<MongodbServiceDefinition> = {
  kind: 'mongodb',
  candidateUser: (svc) => svc.candidate_user,
  containerEnv: (i) => [
    `MONGO_PORT=${i.port}`,
    `STORE_PORT=${storePort(i)}`,
    `ADMIN_PASSWORD=${i.adminPassword}`,
    `CANDIDATE_PASSWORD=${i.candidatePassword}`,
    `CANDIDATE_USER=${i.svc.candidate_user}`,
    `DB_NAME=${i.svc.database}`,
    `DB_CANARY=${i.canary}`,
  ],
  candidateUrl: (i) => mongodbUrl(i.svc.candidate_user, i.candidatePassword, i.port, i.svc.database),
  adminUrl: (i) => mongodbUrl('stackgrade_admin', i.adminPassword, i.port, i.svc.database),
  storeAdminUrl: (i) => postgresUrl('stackgrade_admin', i.adminPassword, storePort(i), 'ferretdb'),
};
