import type { ServiceDefinition } from '../../contract/challenge-manifest.schema';

/**
 * One running copy of a database service in a pod: the candidate's, or the reference's twin (same image, port
 * `+1`, its own passwords). Passwords and the canary are random per pod.
 */
export interface ServiceInstance<S extends ServiceDefinition = ServiceDefinition> {
  svc: S;
  /** TCP port on the pod's loopback. */
  port: number;
  /** Password of the engine's superuser `stackgrade_admin` (the grader's). */
  adminPassword: string;
  /** Password of the candidate's non-admin user. */
  candidatePassword: string;
  /** A value the grader checks to prove it talks to this instance (where the engine can keep one). */
  canary: string;
  /** True for the reference's twin. */
  twin: boolean;
}

/**
 * A database engine the pod can run (one file per kind beside this one, as testcontainers does per module):
 * how its container is started, what the candidate and the grader connect with. Images are built by
 * runner/images/engine-images.ts.
 */
export interface DatabaseEngine<S extends ServiceDefinition = ServiceDefinition> {
  readonly kind: S['kind'];
  /** The candidate's user or role name of `svc`. */
  candidateUser(svc: S): string;
  /** Environment of the service's container (its start script reads it). */
  containerEnv(instance: ServiceInstance<S>): string[];
  /** Connection URL the candidate's service gets (non-admin credentials). */
  candidateUrl(instance: ServiceInstance<S>): string;
  /** Superuser connection URL the grader gets. */
  adminUrl(instance: ServiceInstance<S>): string;
  /** Superuser URL of a store behind the engine the grader may read (MongoDB's PostgreSQL), or null. */
  storeAdminUrl(instance: ServiceInstance<S>): string | null;
}
