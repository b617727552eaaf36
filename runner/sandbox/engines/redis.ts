import type { RedisServiceDefinition } from '../../contract/challenge-manifest.schema';
import type { DatabaseEngine } from './engine';

/** `redis://user:password@127.0.0.1:port` (RFC 3986 userinfo, as ioredis, redis-py and go-redis read it). */
function redisUrl(user: string, password: string, port: number): string {
  return `redis://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}

/**
 * Redis 7 (sandbox-images/redis7, Debian's redis-server): no default user; the candidate's ACL user may run
 * every command but the administrative ones (stackgrade-redis-start lists them), the grader is
 * `stackgrade_admin`. Nothing persists; a seeded image's dump.rdb is loaded at start. Redis keeps no canary:
 * the per-pod admin password is the proof that the grader talks to this server.
 */
export const redisEngine: DatabaseEngine<RedisServiceDefinition> = {
  kind: 'redis',
  candidateUser: (svc) => svc.candidate_user,
  containerEnv: (i) => [
    `REDIS_PORT=${i.port}`,
    `ADMIN_PASSWORD=${i.adminPassword}`,
    `CANDIDATE_PASSWORD=${i.candidatePassword}`,
    `CANDIDATE_USER=${i.svc.candidate_user}`,
  ],
  candidateUrl: (i) => redisUrl(i.svc.candidate_user, i.candidatePassword, i.port),
  adminUrl: (i) => redisUrl('stackgrade_admin', i.adminPassword, i.port),
  storeAdminUrl: () => null,
};
