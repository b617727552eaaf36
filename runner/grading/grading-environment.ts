import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { RUNTIME_IDS, type RuntimeId } from '../contract/runtime-selection';
import { runtimeVersion } from '../images/runtime-version';
import { AppError } from '../contract/app-error';
import { ChallengeCatalog, type LoadedChallenge } from '../contract/challenge-catalog';
import type { RunnerConfig } from '../config';
import type { GradeReport, ProvenanceRunner } from '../contract/grade-result.schema';
import { run } from '../images/base-image';
import { ensureImages, type ImageSet } from '../images/image-set';
import type { Logger } from '../lib/logger';
import { createDocker, GVISOR_RUNTIME, hasRunsc } from '../sandbox/docker';
import { RemovalRegistry } from '../sandbox/removal-registry';
import {
  challengePodSetup,
  gradeSubmission,
  prepareReference,
  type GradeContext,
  type GradeRequest,
} from './grade-submission';
import { resolveLimits } from './resolve-limits';
import { WarmPodPool } from './warm-pod-pool';
import { referenceDirFor } from './reference-for-runtime';
import { releaseWorkerRoot } from './work-folders';
import { signReport } from '../signing/report-signature';
import { storeSafeReport } from '../contract/store-safe-keys';
import { loadSigningKey, type SigningKey } from '../signing/signing-key';

/** Everything a process needs to grade: Docker, the catalog, built images and the chosen runtime. */
export class GradingEnvironment {
  private constructor(
    readonly ctx: GradeContext,
    readonly catalog: ChallengeCatalog,
    readonly images: ImageSet,
    /** The installation's report-signing key (see loadSigningKey). */
    readonly signingKey: SigningKey,
  ) {}

  /**
   * Connects to Docker, loads the catalog, builds what images are missing and picks the candidate runtime
   * (gVisor `runsc` when registered and allowed, else hardened `runc`), and loads (or first generates) the
   * report-signing key. Throws AppError when Docker is unreachable (SANDBOX_FAILED), a manifest is invalid,
   * an image cannot be built or the signing key is unusable (CONFIG_INVALID).
   */
  static async create(
    config: RunnerConfig,
    log: Logger,
    docker: Docker = createDocker(),
  ): Promise<GradingEnvironment> {
    try {
      await docker.ping();
    } catch (err) {
      throw new AppError('SANDBOX_FAILED', `the Docker engine does not answer: ${String(err)}`, {
        retryable: true,
        cause: err,
      });
    }
    const signingKey = await loadSigningKey(config);
    const catalog = await ChallengeCatalog.load(config.CHALLENGES_DIR);
    const images = await ensureImages(
      docker,
      catalog.list().map((c) => catalog.get(c.id)!),
      log,
    );
    const runsc = await hasRunsc(docker);
    if (config.SANDBOX_RUNTIME === 'runsc' && !runsc)
      throw new AppError(
        'CONFIG_INVALID',
        `SANDBOX_RUNTIME=runsc but the Docker runtime ${GVISOR_RUNTIME} is not registered (run scripts/setup-host.sh)`,
      );
    const runtime = config.SANDBOX_RUNTIME === 'runc' ? 'runc' : runsc ? 'runsc' : 'runc';
    const registries: Record<RuntimeId, string> = {
      node22:
        config.NPM_REGISTRY ??
        (await run('npm', ['config', 'get', 'registry'])).trim().split('\n').pop()!.trim(),
      python3: config.PYPI_INDEX_URL,
      go: config.GO_PROXY,
    };
    const engine = (await docker.info()) as { ID?: string; Name?: string };
    const runner: ProvenanceRunner = {
      worker_id: config.WORKER_ID,
      hostname: os.hostname(),
      engine_id: engine.ID ?? 'unknown',
    };
    const versionCache = path.join(config.STACKGRADE_HOME, 'cache', 'runtime-versions');
    const runtimeVersions = {} as Record<RuntimeId, string>;
    for (const id of RUNTIME_IDS)
      runtimeVersions[id] = await runtimeVersion(id, images.runtimes[id], versionCache);
    log.info(
      { runtime, registries, runtimeVersions, runner, challenges: catalog.list().map((c) => c.id) },
      'grading environment ready',
    );
    return new GradingEnvironment(
      {
        docker,
        config,
        runtime,
        runtimeImages: images.runtimes,
        removals: new RemovalRegistry(),
        runtimeVersions,
        registries,
        ownerImage: images.base,
        log,
        runner,
      },
      catalog,
      images,
      signingKey,
    );
  }

  /**
   * Starts keeping `size` warm pods of every challenge in the catalog (see WarmPodPool); gradings then take
   * one when ready. Prepares each challenge's reference once (cached install); throws AppError
   * SANDBOX_FAILED when that fails. Idempotent; size 0 starts nothing.
   */
  async startWarmPool(
    size: number,
    maxAgeMs: number,
    onPodReady?: (startMs: number) => void,
  ): Promise<WarmPodPool | null> {
    if (this.ctx.pool || size <= 0) return this.ctx.pool ?? null;
    const pool = new WarmPodPool(this.ctx, { size, maxAgeMs, ...(onPodReady ? { onPodReady } : {}) });
    this.ctx.pool = pool;
    for (const { id } of this.catalog.list()) {
      const challenge = this.challenge(id);
      const images = this.images.challenges.get(id);
      if (!images) continue;
      const m = challenge.manifest;
      const reference = m.performance_reference
        ? await prepareReference(
            this.ctx,
            challenge,
            'warm-pool',
            `warm-${id}-r`,
            await referenceDirFor(challenge.dir, m.runtimes[0]!),
          )
        : null;
      const wallMs = resolveLimits(m.limits, this.ctx.config).wallMs;
      // Warm pods start the candidate's container with the challenge's first runtime; submissions of its
      // other runtimes get a cold pod.
      pool.add(
        WarmPodPool.key(id, m.version, m.runtimes[0]!),
        (runId, deadline) =>
          challengePodSetup(this.ctx, challenge, images, reference, {
            runId,
            submissionId: 'warm-pool',
            deadline,
          }),
        wallMs + 120_000,
      );
    }
    return pool;
  }

  /** Removes every warm pod and stops refilling (shutdown); waits until their containers are gone. */
  async stopWarmPool(): Promise<void> {
    const pool = this.ctx.pool;
    if (!pool) return;
    delete this.ctx.pool;
    await pool.drain();
  }

  /**
   * Resolves when every pod removal this environment started so far has finished (and any started
   * meanwhile): for callers that must leave no container behind. Never throws.
   */
  settleRemovals(): Promise<void> {
    return this.ctx.removals.settle();
  }

  /**
   * Ends this environment's use (runner shutdown, end of a CLI command): removes the warm pods, waits until
   * every pod removal started so far finished ({@link GradingEnvironment.settleRemovals}), then removes this worker's work root
   * when nothing is left in it ({@link releaseWorkerRoot}). Call once no grading is running. Never throws.
   */
  async close(): Promise<void> {
    await this.stopWarmPool();
    await this.settleRemovals();
    await releaseWorkerRoot(this.ctx.config.STACKGRADE_HOME, this.ctx.config.WORKER_ID);
  }

  /** The challenge with `id`; throws AppError CHALLENGE_NOT_FOUND. */
  challenge(id: string): LoadedChallenge {
    const c = this.catalog.get(id);
    if (!c) throw new AppError('CHALLENGE_NOT_FOUND', `unknown challenge ${id}`);
    return c;
  }

  /**
   * Grades files against challenge `challengeId` (see gradeSubmission); the report carries its provenance,
   * its evidence keys are made store-safe (runner/contract/store-safe-keys.ts), and it is signed with the
   * installation's key (runner/signing/report-signature.ts).
   */
  async grade(challengeId: string, req: Omit<GradeRequest, 'challenge' | 'images'>): Promise<GradeReport> {
    const challenge = this.challenge(challengeId);
    const images = this.images.challenges.get(challengeId);
    if (!images) throw new AppError('SANDBOX_FAILED', `no images for ${challengeId}`);
    const report = await gradeSubmission(this.ctx, { ...req, challenge, images });
    return signReport(storeSafeReport(report), this.signingKey.privateKey);
  }
}
