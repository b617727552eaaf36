import type { ServiceDefinition } from '../../contract/challenge-manifest.schema';
import type { GraderServiceEnv } from '../../contract/grader-services.schema';
import type { DatabaseEngine, ServiceInstance } from './engine';
import { mongodbEngine } from './mongodb';
import { postgresEngine } from './postgres';
import { redisEngine } from './redis';

export type { DatabaseEngine, ServiceInstance } from './engine';

const ENGINES = { postgres: postgresEngine, redis: redisEngine, mongodb: mongodbEngine } as const;

/** The engine of a service's kind. */
export function engineOf(svc: ServiceDefinition): DatabaseEngine {
  return ENGINES[svc.kind] as DatabaseEngine;
}

/** The candidate's connection URL of `instance`. */
export function candidateUrl(instance: ServiceInstance): string {
  return engineOf(instance.svc).candidateUrl(instance);
}

/**
 * What the grader gets for each of the candidate's services (with the reference twin's admin URL when there
 * is one), in manifest order: the `SERVICES` variable of the grader's container, as JSON.
 */
export function graderServicesEnv(
  main: readonly ServiceInstance[],
  twins: readonly ServiceInstance[],
): GraderServiceEnv[] {
  return main.map((i) => {
    const engine = engineOf(i.svc);
    const twin = twins.find((t) => t.svc.name === i.svc.name);
    return {
      name: i.svc.name,
      kind: i.svc.kind,
      admin_url: engine.adminUrl(i),
      ref_admin_url: twin ? engine.adminUrl(twin) : null,
      store_admin_url: engine.storeAdminUrl(i),
      canary: i.svc.kind === 'redis' ? '' : i.canary,
      candidate_user: engine.candidateUser(i.svc),
    };
  });
}
