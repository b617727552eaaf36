/**
 * The warm pod pool (runner/grading/warm-pod-pool.ts) on real Docker and gVisor: a warm pod is handed out
 * once, the pool refills only once the taken pod's run ends or its candidate answers, a dead pod is removed
 * instead of used, and after the pool drains none of its containers is left. Verdicts in warm pods are held
 * to those of cold pods by challenge-validate.test.ts, which grades every wrong/ solution in a warm pod.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type Docker from 'dockerode';
import { loadRunnerConfig } from '../../../runner/config';
import { challengePodSetup, prepareReference } from '../../../runner/grading/grade-submission';
import { GradingEnvironment } from '../../../runner/grading/grading-environment';
import { WarmPodPool } from '../../../runner/grading/warm-pod-pool';
import { logger } from '../../../runner/lib/logger';
import { LABELS } from '../../../runner/sandbox/labels';
import { reapSubmission } from '../../../runner/sandbox/reaper';

/** Polls `probe` every 200 ms until it returns a value (throws after `ms`, default 60 s). */
async function waitUntil<T>(probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const CHALLENGE = 'orders-api';

describe('warm pod pool', () => {
  const worker = `test-warm-${randomUUID().slice(0, 8)}`;
  const log = logger.child({}, { level: 'warn' });
  let env: GradingEnvironment;
  let docker: Docker;

  const containersOf = async (label: string): Promise<Docker.ContainerInfo[]> =>
    docker.listContainers({ all: true, filters: { label: [label] } });

  beforeAll(async () => {
    env = await GradingEnvironment.create(
      loadRunnerConfig({ ...process.env, WORKER_ID: worker, LOG_LEVEL: 'warn' }),
      log,
    );
    docker = env.ctx.docker;
  });

  afterAll(async () => {
    await env?.close();
    for (const c of await containersOf(`${LABELS.worker}=${worker}`))
      await docker.getContainer(c.Id).remove({ force: true });
  });

  it('take(), when two gradings ask for the one warm pod at once, hands it to one of them only; a pod taken alone is refilled only after its use; its candidate container is renamed after the submission it runs and reapSubmission removes the pod by it; a warm pod whose network owner died is removed, not handed out; drain() leaves no container', async () => {
    const ch = env.challenge(CHALLENGE);
    const images = env.images.challenges.get(CHALLENGE)!;
    const reference = await prepareReference(env.ctx, ch, 'warm-test', `${worker}-r`);
    const pool = new WarmPodPool(env.ctx, { size: 1, maxAgeMs: 600_000 });
    const key = WarmPodPool.key(CHALLENGE, ch.manifest.version, 'node22');
    pool.add(
      key,
      (runId, deadline) =>
        challengePodSetup(env.ctx, ch, images, reference, { runId, submissionId: 'warm-pool', deadline }),
      420_000,
    );
    try {
      await pool.whenFull(key);
      const taken = await Promise.all([pool.take(key), pool.take(key)]);
      const got = taken.filter((p) => p !== null);
      expect(got).toHaveLength(1);
      const first = got[0]!;
      // The pod is ready for a candidate: owner, database, twin, grader, reference and the candidate's
      // container (its launcher waiting on the empty slot), all running, labelled.
      const pod = await containersOf(`${LABELS.runId}=${first.setup.runId}`);
      expect(pod.map((c) => c.Labels[LABELS.role]).sort()).toEqual([
        'app',
        'db',
        'db',
        'grader',
        'net-owner',
        'ref-app',
      ]);
      expect(pod.every((c) => c.State === 'running' && c.Labels[LABELS.pool] === key)).toBe(true);
      expect(await fs.readdir(first.setup.slotDir)).toEqual(expect.arrayContaining(['app', 'control']));

      // A submission runs in it: its container, labelled before the submission existed, is renamed after it,
      // and a later attempt of that submission (reapSubmission) finds and removes the whole pod by that name.
      const submissionId = randomUUID();
      const running = first.run(
        { ...reference, startCommand: 'sleep 600' },
        submissionId,
        AbortSignal.timeout(120_000),
      );
      running.catch(() => undefined);
      const named = await waitUntil(async () => {
        const l = await docker.listContainers({ all: true, filters: { name: [`-app-${submissionId}$`] } });
        return l.length ? l : undefined;
      });
      expect(named.map((c) => c.Names[0])).toEqual([`/sg-${first.setup.runId}-app-${submissionId}`]);
      // (The count is what it removed before the interrupted run's own removal took the rest.)
      expect(await reapSubmission(docker, submissionId, log)).toBeGreaterThan(0);
      await expect(running).rejects.toMatchObject({ code: 'SANDBOX_FAILED' });
      await env.settleRemovals();
      expect(await containersOf(`${LABELS.runId}=${first.setup.runId}`)).toHaveLength(0);
      await expect(fs.stat(first.setup.slotDir)).rejects.toMatchObject({ code: 'ENOENT' });

      // The take that found no pod refilled at once. That pod, taken alone: no refill before its candidate
      // answers or its use ends (a refill started at the take would have created its network owner within
      // ~0.5 s); discarding it ends its use, and the pool refills.
      await pool.whenFull(key);
      const second = await pool.take(key);
      expect(second).not.toBeNull();
      await new Promise((r) => setTimeout(r, 3000));
      const refill = (await containersOf(`${LABELS.worker}=${worker}`)).filter(
        (c) => c.Labels[LABELS.runId] !== second!.setup.runId,
      );
      expect(refill).toEqual([]);
      second!.discard();
      await env.settleRemovals();

      // The refill: a new pod (never one handed out), then its owner is killed from outside.
      await pool.whenFull(key);
      const [owner] = await containersOf(`${LABELS.pool}=${key}`).then((l) =>
        l.filter(
          (c) =>
            c.Labels[LABELS.role] === 'net-owner' &&
            c.Labels[LABELS.worker] === worker &&
            c.State === 'running',
        ),
      );
      expect(owner).toBeDefined();
      const deadRun = owner!.Labels[LABELS.runId]!;
      expect([first.setup.runId, second!.setup.runId]).not.toContain(deadRun);
      await docker.getContainer(owner!.Id).kill();
      expect(await pool.take(key)).toBeNull();
      await env.settleRemovals();
      expect(await containersOf(`${LABELS.runId}=${deadRun}`)).toHaveLength(0);
    } finally {
      await pool.drain();
    }
    expect(await containersOf(`${LABELS.worker}=${worker}`)).toHaveLength(0);
  });
});
