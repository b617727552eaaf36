import type { RuntimeId } from '../contract/runtime-selection';
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../lib/logger';
import { preparePod } from '../sandbox/pod';
import type { PodHost, PodSetup } from '../sandbox/pod-definition';
import type { PreparedPod } from '../sandbox/prepared-pod';

/**
 * Longest wait after a take before the pool refills, ms, should the handed-out pod never report its
 * candidate settled (it always does when it is run or discarded; this bounds a caller that does neither).
 */
export const REFILL_AT_LATEST_MS = 60_000;

/** Options of a {@link WarmPodPool}. */
export interface WarmPodPoolOptions {
  /** Warm pods kept ready per challenge (`WARM_PODS`); 0 keeps none. */
  size: number;
  /** A warm pod older than this is replaced, ms (`WARM_POD_MAX_AGE_MS`); its deadline label allows for it. */
  maxAgeMs: number;
  /** Wait after a failed warm-up before the next, ms (doubles up to 60 s; default 2,000). */
  retryMs?: number;
  /** Called with each warm pod's start time (creation → ready), ms (the runner's pod-start metric). */
  onPodReady?: (startMs: number) => void;
}

/**
 * Builds the setup of a new warm pod of one challenge: `runId` and `deadline` (epoch ms) are chosen by the
 * pool; everything else (images, services, reference, candidate limits, runtime) is the challenge's, so a
 * warm pod is the same as the cold pod a grading would start.
 */
export type WarmPodSetupFactory = (runId: string, deadline: number) => PodSetup;

interface Slot {
  make: WarmPodSetupFactory;
  /** Extra time a taken pod may still need before the reaper may remove it: the grading's wall time + slack, ms. */
  runMs: number;
  ready: PreparedPod[];
  filling: boolean;
  failures: number;
  waiters: (() => void)[];
}

/**
 * Keeps pods of each registered challenge started up to the point just before the candidate starts (network
 * owner, seeded databases, grader, reference answering; see preparePod), so a grading skips that start-up.
 * Each pod is single-use: {@link take} hands it out once and the grading removes it; the pool refills in
 * the background once that pod's candidate answers (see take), one warm-up at a time per challenge. A pod
 * that died while waiting (any container not running, e.g. after a Docker daemon restart) or grew older
 * than `maxAgeMs` is removed, never handed out.
 * Warm pods carry the labels of every pod (run id, worker, deadline) plus `io.stackgrade.pool`, so the
 * reaper removes them with the worker's other leftovers; {@link drain} removes them at shutdown.
 */
export class WarmPodPool {
  private readonly slots = new Map<string, Slot>();
  private readonly stopping = new AbortController();
  private readonly inflight = new Set<Promise<void>>();
  private readonly ager: NodeJS.Timeout;

  private readonly log: Logger;

  /** `host`: the Docker engine, logger and removal registry of the grading environment that owns the pool. */
  constructor(
    private readonly host: PodHost,
    private readonly opts: WarmPodPoolOptions,
  ) {
    this.log = host.log;
    this.ager = setInterval(() => this.retireOld(), Math.min(60_000, Math.max(1000, opts.maxAgeMs / 4)));
    this.ager.unref();
  }

  /**
   * The pool key of a challenge version and the runtime its candidates' containers are started with:
   * `<id>@<version>/<runtime>` (also the `io.stackgrade.pool` label).
   */
  static key(challengeId: string, version: number | string, runtime: RuntimeId): string {
    return `${challengeId}@${version}/${runtime}`;
  }

  /** Starts keeping `size` pods of `key` warm (filling starts now, in the background). */
  add(key: string, make: WarmPodSetupFactory, runMs: number): void {
    if (this.slots.has(key)) throw new Error(`warm pool ${key} already exists`);
    this.slots.set(key, { make, runMs, ready: [], filling: false, failures: 0, waiters: [] });
    this.fill(key);
  }

  /** How many warm pods are ready now, all keys (the warm-pool gauge of the runner's metrics). */
  readyTotal(): number {
    let n = 0;
    for (const slot of this.slots.values()) n += slot.ready.length;
    return n;
  }

  /** How many warm pods of `key` are ready now. */
  readyCount(key: string): number {
    return this.slots.get(key)?.ready.length ?? 0;
  }

  /** Resolves once `key` has `size` ready pods (benchmarks and tests), or when the pool drains. */
  async whenFull(key: string): Promise<void> {
    const slot = this.slots.get(key);
    if (!slot || this.opts.size === 0) return;
    while (slot.ready.length < this.opts.size && !this.stopping.signal.aborted)
      await new Promise<void>((r) => slot.waiters.push(r));
  }

  /**
   * Hands out a ready, living pod of `key` (never the same pod twice: it leaves the pool before any await);
   * null when none is ready (the caller starts a cold pod). Dead or too old pods met on the way are removed.
   * Never throws.
   *
   * The refill starts once the handed-out pod's candidate answers (or its run ends: `candidateSettled`; at
   * the latest {@link REFILL_AT_LATEST_MS} after the take), not at the take: a warm-up is seconds of CPU
   * (databases, the reference app's boot and its `CREATE INDEX` on the seeded rows) that otherwise competes
   * with the candidate's own start on the same cores. Measured on a 2-core VM (orders-api reference, three
   * gradings each): the candidate answered 3,155 / 2,571 / 3,351 ms after the take with the refill at the
   * take, 1,870 / 1,811 / 2,251 ms with it afterwards. The refill then overlaps the first hidden tests and
   * is done long before a grading ends (a warm-up ~4.5 s, a grading's tests ~45 s), so the next grading
   * still finds a warm pod. When no pod is handed out, the refill starts at once.
   */
  async take(key: string): Promise<PreparedPod | null> {
    const slot = this.slots.get(key);
    if (!slot || this.stopping.signal.aborted) return null;
    let handed: PreparedPod | null = null;
    try {
      for (;;) {
        const pod = slot.ready.shift();
        if (!pod) return null;
        if (this.expired(pod)) {
          pod.discard();
          continue;
        }
        if (await pod.alive()) {
          this.log.info({ pool: key, runId: pod.setup.runId }, 'took a warm pod');
          handed = pod;
          return pod;
        }
        this.log.warn({ pool: key, runId: pod.setup.runId }, 'a warm pod died while waiting; removed');
        pod.discard();
      }
    } finally {
      if (handed) this.fillWhenSettled(key, handed);
      else this.fill(key);
    }
  }

  /** Stops refilling, removes every warm pod (ready or warming) and waits until their containers are gone. */
  async drain(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.ager);
    for (const slot of this.slots.values()) {
      for (const pod of slot.ready.splice(0)) pod.discard();
      for (const w of slot.waiters.splice(0)) w();
    }
    while (this.inflight.size) await Promise.all([...this.inflight]);
    await this.host.removals.settle();
  }

  /** Whether `pod` has waited in the pool longer than `maxAgeMs` (it is then removed, never handed out). */
  private expired(pod: PreparedPod): boolean {
    return Date.now() - pod.readyAt > this.opts.maxAgeMs;
  }

  private retireOld(): void {
    for (const [key, slot] of this.slots) {
      const old = slot.ready.filter((p) => this.expired(p));
      if (!old.length) continue;
      slot.ready = slot.ready.filter((p) => !old.includes(p));
      for (const p of old) p.discard();
      this.log.info({ pool: key, retired: old.length }, 'replaced warm pods past their maximum age');
      this.fill(key);
    }
  }

  /** Fills `key` once `pod`'s candidate settled, or after {@link REFILL_AT_LATEST_MS}, whichever is first. */
  private fillWhenSettled(key: string, pod: PreparedPod): void {
    let timer: NodeJS.Timeout | undefined;
    const latest = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, REFILL_AT_LATEST_MS);
      timer.unref();
    });
    void Promise.race([pod.candidateSettled, latest]).then(() => {
      clearTimeout(timer);
      this.fill(key);
    });
  }

  private fill(key: string): void {
    const slot = this.slots.get(key);
    if (!slot || slot.filling || this.stopping.signal.aborted || slot.ready.length >= this.opts.size) return;
    slot.filling = true;
    const run = this.fillLoop(key, slot).finally(() => {
      slot.filling = false;
      this.inflight.delete(run);
    });
    this.inflight.add(run);
  }

  private async fillLoop(key: string, slot: Slot): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted && slot.ready.length < this.opts.size) {
      const runId = `warm-${crypto.randomBytes(5).toString('hex')}`;
      // A taken pod may run for the grading's wall time after its maximum age: the reaper waits that long.
      const setup = slot.make(runId, Date.now() + this.opts.maxAgeMs + slot.runMs);
      try {
        const pod = await preparePod(this.host, { ...setup, pool: key }, signal);
        if (signal.aborted || pod.timedOut) {
          pod.discard();
          return;
        }
        slot.failures = 0;
        slot.ready.push(pod);
        this.opts.onPodReady?.(pod.readyAt - pod.startedAt);
        this.log.info(
          { pool: key, runId, readyMs: pod.readyAt - pod.startedAt, ready: slot.ready.length },
          'warm pod ready',
        );
        for (const w of slot.waiters.splice(0)) w();
      } catch (err) {
        slot.failures++;
        const wait = Math.min(60_000, (this.opts.retryMs ?? 2000) * 2 ** (slot.failures - 1));
        this.log.error({ pool: key, runId, err: String(err), retryInMs: wait }, 'warm-up of a pod failed');
        // Ends early (rejecting with AbortError) when the pool drains.
        await sleep(wait, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}
