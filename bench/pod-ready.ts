import { randomBytes } from 'node:crypto';
import type { GradingEnvironment } from '../runner/grading/grading-environment';
import { challengePodSetup, prepareService, readSolutionDir } from '../runner/grading/grade-submission';
import type { LoadedChallenge } from '../runner/contract/challenge-catalog';
import type { ChallengeImages } from '../runner/images/image-set';
import { WarmPodPool } from '../runner/grading/warm-pod-pool';
import { resolveLimits } from '../runner/grading/resolve-limits';
import { runPod, settleRemovals, type ServiceCode } from '../runner/sandbox/pod';

/** Prepares the challenge's reference solution once (dependency install, cached) for {@link measurePodReady}. */
export async function prepareReference(env: GradingEnvironment, challengeId: string): Promise<ServiceCode> {
  const ch = env.challenge(challengeId);
  const files = await readSolutionDir(ch.referenceDir);
  return prepareService(
    env.ctx,
    'bench',
    files,
    ch.referenceDir,
    `bench-prep-${randomBytes(3).toString('hex')}`,
  );
}

/** The challenge and its built images; throws when the images of `challengeId` were not built. */
function challengeWithImages(
  env: GradingEnvironment,
  challengeId: string,
): { ch: LoadedChallenge; images: ChallengeImages } {
  const ch = env.challenge(challengeId);
  const images = env.images.challenges.get(challengeId);
  if (!images) throw new Error(`no images for ${challengeId}`);
  return { ch, images };
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
  reference: ServiceCode,
  worker: string,
): Promise<number> {
  const { ch, images } = challengeWithImages(env, challengeId);
  const limits = resolveLimits(ch.manifest.limits, env.ctx.config);
  const runId = `bench-ready-${randomBytes(3).toString('hex')}`;
  const out = await runPod(
    env.ctx.docker,
    {
      runId,
      submissionId: runId,
      worker,
      deadline: Date.now() + 300_000,
      images: {
        owner: env.ctx.ownerImage,
        runtime: env.ctx.runtimeImage,
        grader: images.grader,
        services: images.services,
      },
      services: ch.manifest.services,
      candidate: reference,
      reference,
      candidateLimits: limits.candidate,
      startupMs: limits.startupMs,
      runtime: env.ctx.runtime,
      graderSeed: 1,
      stopWhenReady: true,
    },
    AbortSignal.timeout(120_000),
    env.ctx.log,
  );
  await settleRemovals(); // the next measurement must not share the machine with this pod's teardown
  const ready = out.timingsMs.reference_ready ?? out.timingsMs.databases_ready;
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
  reference: ServiceCode,
  worker: string,
): Promise<number> {
  const { ch, images } = challengeWithImages(env, challengeId);
  const key = WarmPodPool.key(challengeId, ch.manifest.version);
  const pool = new WarmPodPool(env.ctx.docker, { size: 1, maxAgeMs: 600_000 }, env.ctx.log);
  pool.add(
    key,
    (runId, deadline) =>
      challengePodSetup(
        { ...env.ctx, config: { ...env.ctx.config, WORKER_ID: worker } },
        ch,
        images,
        reference,
        {
          runId,
          submissionId: runId,
          deadline,
        },
      ),
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
    await settleRemovals();
  }
}
