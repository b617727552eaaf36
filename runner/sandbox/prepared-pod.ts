import type Docker from 'dockerode';
import { AppError } from '../contract/app-error';
import {
  graderCheckSchema,
  graderOutputSchema,
  type GraderCheck,
  type GraderOutput,
} from '../contract/grade-result.schema';
import { CANDIDATE_STARTED_SIGNAL } from '../contract/grader-protocol';
import type { Logger } from '../lib/logger';
import { fillSlot, LAUNCHER_RELEASE_SIGNAL, withoutLauncherLine } from './candidate-slot';
import { logTail, type FollowResult } from './container-logs';
import { countLogLeaks, LOG_SCAN_MAX_BYTES, wantsLogScan } from '../grading/log-leaks';
import { LABELS } from './labels';
import { candidateContainerName } from './container-specs';
import type {
  AppCode,
  CandidateState,
  GraderProgress,
  PodHost,
  PodOutcome,
  PodSetup,
} from './pod-definition';
import { startPodRemoval } from './removal-registry';

/**
 * Nothing in a pod can stop its network owner (its own PID namespace and user, no capabilities): when it is
 * not running, the pod was stopped from outside (a Docker daemon restart stops every container). Returns the
 * retryable SANDBOX_FAILED that says so, or null while the owner runs (or cannot be inspected: it is gone).
 */
export async function stoppedFromOutside(
  owner: Docker.Container,
  during: 'run' | 'start-up',
): Promise<AppError | null> {
  const state = await owner.inspect().then(
    (i) => i.State,
    () => null,
  );
  if (state === null || state.Running) return null;
  return new AppError(
    'SANDBOX_FAILED',
    `the pod was stopped from outside during the ${during} (network owner ${state.Status}, exit ${state.ExitCode}; e.g. a Docker daemon restart)`,
    { retryable: true },
  );
}

/** `err` as a retryable AppError SANDBOX_FAILED of pod `runId` (an AppError is kept as it is). */
export function sandboxFailure(runId: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('SANDBOX_FAILED', `pod ${runId} failed: ${String(err)}`, {
    retryable: true,
    cause: err,
  });
}

/**
 * How long a run waits for the candidate's container to stop once the grader reported the service down
 * (`service_down`), ms. Its exit is then read as such (crashed, memory_limit); a service that closed its port
 * but keeps running is read as running after this wait.
 */
export const CANDIDATE_EXIT_GRACE_MS = 5_000;

/**
 * Polls `container`, which the caller just saw running, every 100 ms until it is not running or `graceMs`
 * passed; returns its last state.
 */
async function stateOnceStopped(
  container: Docker.Container,
  graceMs: number,
): Promise<Docker.ContainerInspectInfo['State']> {
  const until = Date.now() + graceMs;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const st = (await container.inspect()).State;
    if (!st.Running || Date.now() >= until) return st;
  }
}

/**
 * A pod started up to the candidate (owner, databases, grader, reference answering): the grader waits for
 * the candidate. Single use: {@link PreparedPod.run} runs one candidate in it and removes it, and
 * {@link PreparedPod.discard} removes it unused.
 */
export class PreparedPod {
  /** Epoch ms when the pod's first container was created. */
  readonly startedAt: number;
  /** Epoch ms when it was ready for a candidate. */
  readonly readyAt: number;
  private used = false;
  private graderEnded = false;
  private readonly checks: GraderCheck[] = [];
  private output: GraderOutput | null = null;
  private candidateReadyAt: number | null = null;
  private checksMs = 0;
  /** Told of the grader's progress during {@link PreparedPod.run} (its `onGraderProgress` option). */
  private progressListener: ((p: GraderProgress) => void) | null = null;
  /**
   * Resolves once the candidate in this pod answers its health check (the grader's `candidate-ready`
   * event), or once the pod's use ended without that (the run returned or threw, or the pod was discarded).
   * The warm pool starts its refill then (WarmPodPool.take). Never rejects.
   */
  readonly candidateSettled: Promise<void>;
  private settleCandidate: () => void = () => undefined;
  /** Resolves at the grader's `done` event (its output is complete; the grader then only exits). */
  private readonly graderDone: Promise<'done'>;
  private markGraderDone: () => void = () => undefined;
  private readonly docker: Docker;
  private readonly log: Logger;

  /** @internal built by {@link preparePod} only. */
  constructor(
    private readonly host: PodHost,
    readonly setup: PodSetup,
    private readonly parts: {
      owner: Docker.Container;
      grader: Docker.Container;
      /** The candidate's container, started on the empty slot: its launcher waits for the release signal. */
      launcher: Docker.Container;
      follow: FollowResult;
      /** Containers expected to be running while the pod waits (owner, databases, grader, reference, launcher). */
      expected: number;
      /** Preparation was cut short by its signal (the deadline): no candidate may start. */
      timedOut: boolean;
      startedAt: number;
      /** Marks of the preparation, ms from `startedAt`. */
      timings: Record<string, number>;
    },
  ) {
    this.docker = host.docker;
    this.log = host.log;
    this.startedAt = parts.startedAt;
    this.readyAt = Date.now();
    this.candidateSettled = new Promise<void>((resolve) => {
      this.settleCandidate = resolve;
    });
    this.graderDone = new Promise<'done'>((resolve) => {
      this.markGraderDone = () => resolve('done');
    });
    void parts.follow.ended.then(() => {
      this.graderEnded = true;
    });
  }

  /** Marks of the preparation (owner_started, databases_ready, grader_started, reference_ready), ms. */
  get timings(): Readonly<Record<string, number>> {
    return this.parts.timings;
  }

  /** Whether the preparation was cut short by its signal. */
  get timedOut(): boolean {
    return this.parts.timedOut;
  }

  /** @internal the grader's stdout event lines, routed here by preparePod. */
  onEvent(ev: { event?: string; check?: unknown; output?: unknown }): void {
    if (ev.event === 'candidate-ready') {
      this.candidateReadyAt = Date.now();
      this.settleCandidate();
      this.progressListener?.({ checksDone: 0 });
    } else if (ev.event === 'check') {
      const parsed = graderCheckSchema.safeParse(ev.check);
      if (parsed.success) {
        this.checks.push(parsed.data);
        this.checksMs += parsed.data.duration_ms;
        this.progressListener?.({ checksDone: this.checks.length });
      }
    } else if (ev.event === 'done') {
      const parsed = graderOutputSchema.safeParse(ev.output);
      if (parsed.success) this.output = parsed.data;
      else
        this.log.error(
          { runId: this.setup.runId, issues: parsed.error.issues.slice(0, 5) },
          'grader output failed validation',
        );
      this.markGraderDone();
    }
  }

  /**
   * True when every container of the pod is still running and the grader still waits (a Docker daemon
   * restart or an OOM kill stops containers of an idle warm pod). Never throws (false on Docker errors).
   */
  async alive(): Promise<boolean> {
    if (this.used || this.graderEnded) return false;
    try {
      const list = await this.docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.runId}=${this.setup.runId}`] },
      });
      return list.length === this.parts.expected && list.every((c) => c.State === 'running');
    } catch {
      return false;
    }
  }

  /** Removes the pod unused (removal started, not awaited: GradingEnvironment.settleRemovals). Idempotent. */
  discard(): void {
    this.used = true;
    this.settleCandidate();
    this.parts.follow.stop();
    startPodRemoval(this.host, this.setup);
  }

  /**
   * Runs the candidate in this pod: fills its slot (files, dependencies, start command), releases its
   * container's launcher (started with the pod; limits and hardening of the setup), signals the grader,
   * follows it to its end under `signal`, and returns the outcome; the pod's removal starts as it returns.
   * In a warm pod the candidate's container is renamed `sg-<run id>-app-<submission id>` (its labels, set
   * when it was created, carry the pool's placeholder submission; reapSubmission finds it by that name). Timings are ms from `since` (epoch ms; default now) plus the preparation's marks
   * when `withPrepTimings`. Throws AppError SANDBOX_FAILED (retryable) for platform failures, and when the
   * pod was already used.
   */
  async run(
    candidateCode: AppCode,
    submissionId: string,
    signal: AbortSignal,
    opts: {
      since?: number;
      withPrepTimings?: boolean;
      startCandidate?: boolean;
      /** Called when the candidate answers (0 checks done) and after each check; must not throw. */
      onGraderProgress?: (p: GraderProgress) => void;
    } = {},
  ): Promise<PodOutcome> {
    if (this.used) throw new AppError('SANDBOX_FAILED', `pod ${this.setup.runId} was already used`);
    this.used = true;
    this.progressListener = opts.onGraderProgress ?? null;
    const def = this.setup;
    const { owner, grader, launcher, follow } = this.parts;
    const t0 = opts.since ?? Date.now();
    const timings: Record<string, number> = opts.withPrepTimings ? { ...this.parts.timings } : {};
    const mark = (k: string, at = Date.now()): void => {
      timings[k] = at - t0;
    };
    const candidateState: CandidateState = {
      started: false,
      running: false,
      exitCode: null,
      oomKilled: false,
    };
    let candidate: Docker.Container | null = null;
    let timedOut = this.parts.timedOut;
    let graderTruncated = false;
    try {
      const aborted = new Promise<'aborted'>((resolve) => {
        if (signal.aborted) resolve('aborted');
        signal.addEventListener('abort', () => resolve('aborted'), { once: true });
      });
      if (!timedOut && opts.startCandidate !== false) {
        if (candidateCode.launch.image !== def.candidateLaunch.image)
          throw new AppError(
            'SANDBOX_FAILED',
            `pod ${def.runId} runs ${def.candidateLaunch.runtime} candidates, not ${candidateCode.launch.runtime}`,
          );
        await fillSlot(def.slotDir, candidateCode);
        candidate = launcher;
        if (submissionId !== def.submissionId)
          await launcher.rename({ name: candidateContainerName(def.runId, submissionId) });
        await launcher.kill({ signal: LAUNCHER_RELEASE_SIGNAL });
        candidateState.started = true;
        mark('candidate_started');
        await grader.kill({ signal: CANDIDATE_STARTED_SIGNAL }).catch((err: unknown) => {
          // The grader already ended (its result, if any, is read below).
          this.log.debug({ runId: def.runId, err: String(err) }, 'could not signal the grader');
        });
        // The grader's result is complete at its `done` event: its exit after it (78-156 ms under gVisor,
        // BENCHMARKS.md) is not waited for. Without that event, its end (or the deadline) ends the run.
        const r = await Promise.race([follow.ended, this.graderDone, aborted]);
        if (r === 'aborted') timedOut = true;
        else if (r !== 'done') graderTruncated = r.truncated;
        mark('grader_finished');
      }
      follow.stop();
      if (this.candidateReadyAt !== null) mark('candidate_ready', this.candidateReadyAt);
      if (this.checks.length) timings.checks = this.checksMs;

      // Whatever the grader saw in a pod stopped from outside is no verdict on the candidate.
      const stopped = await stoppedFromOutside(owner, 'run');
      if (stopped) throw stopped;
      if (candidate) {
        let st = (await candidate.inspect()).State;
        // The grader found the service refusing connections after its checks: it most likely died, and
        // Docker records the exit of a gVisor sandbox later than the grader sees the port close.
        if (st.Running && this.output?.service_down) {
          const waited = Date.now();
          st = await stateOnceStopped(candidate, CANDIDATE_EXIT_GRACE_MS);
          this.log.info(
            { runId: def.runId, waitedMs: Date.now() - waited, running: st.Running, exit: st.ExitCode },
            'the grader found the service down; waited for its container to stop',
          );
        }
        candidateState.running = st.Running;
        candidateState.exitCode = st.Running ? null : st.ExitCode;
        candidateState.oomKilled = st.OOMKilled;
      }
      const graderState = (await grader.inspect()).State;
      if (!timedOut && !this.output && !graderTruncated && graderState.ExitCode !== 0) {
        this.log.error(
          { runId: def.runId, exit: graderState.ExitCode, oom: graderState.OOMKilled },
          'grader failed',
        );
      }
      // Values checks forbade in the service log: the whole log is read only when a check asked.
      const reported = this.output?.checks ?? this.checks;
      const logLeaks =
        candidate && wantsLogScan(reported)
          ? countLogLeaks(await logTail(candidate, LOG_SCAN_MAX_BYTES, 1_000_000), reported)
          : undefined;
      return {
        output: this.output,
        checks: this.checks,
        ...(logLeaks ? { logLeaks } : {}),
        timedOut,
        graderTruncated,
        candidate: candidateState,
        candidateLog: candidate ? withoutLauncherLine(await logTail(candidate, 16 * 1024)) : '',
        graderLog: await logTail(grader, 16 * 1024),
        timingsMs: timings,
      };
    } catch (err) {
      throw sandboxFailure(def.runId, err);
    } finally {
      // Teardown is off the critical path: the outcome (and so the report) does not wait for Docker to kill
      // and remove the containers, which takes seconds under gVisor. the removal registry's settle() waits for it.
      follow.stop();
      startPodRemoval(this.host, def);
      this.settleCandidate();
      timings.total = Date.now() - t0;
    }
  }
}
