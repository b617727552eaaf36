import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Compare-and-set scripts: only the holder of the token may extend or drop the lease. */
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * A leader lease in Redis, so that one process among several does a job meant for one (the reconciler:
 * docs/architecture.md, "Failure handling and retries"). Taken with `SET key token NX PX ttl`, extended and
 * released only by its holder (compare on the random token, in a Lua script: the single-instance lock of
 * Redis' "Distributed Locks with Redis" page, https://redis.io/docs/latest/develop/use/patterns/distributed-locks/).
 * A holder that dies loses the lease `ttlMs` after its last renewal. Redis errors are thrown to the caller.
 */
export class LeaderLease {
  /** This holder's token: `<owner>:<random UUID>`, unique per instance. */
  readonly token: string;

  /**
   * @param redis the connection to use (commands are plain SET/GET/EVAL).
   * @param key Redis key of the lease (one per queue: `stackgrade:<queue>:reconciler-leader`).
   * @param ttlMs how long the lease lasts without renewal, ms; longer than the interval between renewals.
   * @param owner readable owner name kept in the token (the runner's WORKER_ID).
   */
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
    owner: string,
  ) {
    this.token = `${owner}:${randomUUID()}`;
  }

  /** Keeps the lease if this instance holds it, else takes it if free; returns whether it holds it now. */
  async acquire(): Promise<boolean> {
    if (await this.renew()) return true;
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** Extends the lease by `ttlMs` if this instance still holds it; returns whether it does. */
  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW_SCRIPT, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  /** Drops the lease if this instance holds it (at shutdown, so another runner takes over at once). */
  async release(): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.key, this.token);
  }
}

/** Redis key of the reconciler's leader lease for a BullMQ queue name. */
export function reconcilerLeaseKey(queueName: string): string {
  return `stackgrade:${queueName}:reconciler-leader`;
}
