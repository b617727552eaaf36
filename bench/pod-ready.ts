import { randomBytes } from 'node:crypto';
import type { GradingEnvironment } from '../runner/grading/grading-environment';
import { challengePodSetup, prepareReference } from '../runner/grading/grade-submission';
import { WarmPodPool } from '../runner/grading/warm-pod-pool';
import { runPod } from '../runner/sandbox/pod';
import type { AppCode, PodSetup } from '../runner/sandbox/pod-definition';

/** Prepares the challenge's reference solution once (dependency install, cached) for {@link measurePodReady}. */
export function prepareBenchReference(env: GradingEnvironment, challengeId: string): Promise<AppCode> {
  return prepareReference(
    env.ctx,
    env.challenge(challengeId),
    'bench',
    `bench-prep-${randomBytes(3).toString('hex')}`,
  );
}

/**
 * The pod set-up of a grading of `challengeId` as the runner builds it (challengePodSetup), labelled with the
 * bench's `worker`. Throws when the challenge's images were not built.
 */
function benchPodSetup(
  env: GradingEnvironment,
  challengeId: string,
  reference: AppCode,
  worker: string,
  o: { runId: string; deadline: number },
): PodSetup {
  const images = env.images.challenges.get(challengeId);
  if (!images) throw new Error(`no images for ${challengeId}`);
  return challengePodSetup(
    { ...env.ctx, config: { ...env.ctx.config, WORKER_ID: worker } },
    env.challenge(challengeId),
    images,
    reference,
    { runId: o.runId, submissionId: o.runId, deadline: o.deadline },
  );
}

/**
 * Time until a grading pod of `challengeId` is ready, ms: from the first container's creation until the
 * reference solution answers its health endpoint next to its seeded database (runPod with `stopWhenReady`,
 * so no candidate starts and no hidden test runs). The pod is removed before this resolves.
 * Throws AppError SANDBOX_FAILED when the pod does not become ready, or when it stopped for another reason.
 */
export async function measurePodReady(
  env: GradingEnvironment,
  challengeId: string,
  reference: AppCode,
  worker: string,
): Promise<number> {
  const runId = `bench-ready-${randomBytes(3).toString('hex')}`;
  const setup = benchPodSetup(env, challengeId, reference, worker, {
    runId,
    deadline: Date.now() + 300_000,
  });
  const out = await runPod(
    env.ctx,
    { ...setup, candidate: reference, graderSeed: 1, stopWhenReady: true },
    AbortSignal.timeout(120_000),
  );
  await env.settleRemovals(); // the next measurement must not share the machine with this pod's teardown
  // The pod is ready for a candidate once its candidate's container waits too (launcher_ready, marked last).
  const ready =
    out.timingsMs.launcher_ready ?? out.timingsMs.reference_ready ?? out.timingsMs.databases_ready;
  if (out.timedOut || ready === undefined) throw new Error(`pod ${runId} did not become ready`);
  return ready;
}

/**
 * Time until a grading holds a pod ready for its candidate with the warm pool (the default), ms: a pool of
 * one warm pod of `challengeId` is filled first (not timed: it happens between gradings), then `take()` is
 * timed (it checks that every container of the pod still runs). The pod is removed before this resolves.
 * A grading that finds no warm pod (a burst larger than WARM_PODS) waits as long as {@link measurePodReady}.
 * Throws when no pod can be taken.
 */
export async function measureWarmPodReady(
  env: GradingEnvironment,
  challengeId: string,
  reference: AppCode,
  worker: string,
): Promise<number> {
  const key = WarmPodPool.key(challengeId, env.challenge(challengeId).manifest.version, 'node22');
  const pool = new WarmPodPool(env.ctx, { size: 1, maxAgeMs: 600_000 });
  pool.add(
    key,
    (runId, deadline) => benchPodSetup(env, challengeId, reference, worker, { runId, deadline }),
    300_000,
  );
  try {
    await pool.whenFull(key);
    const t0 = performance.now();
    const pod = await pool.take(key);
    const ms = performance.now() - t0;
    if (!pod) throw new Error('the warm pool handed out no pod');
    pod.discard();
    return ms;
  } finally {
    await pool.drain(); // also waits for the removals: the next measurement must not share the machine
    await env.settleRemovals();
  }
}
