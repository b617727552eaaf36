import type Docker from 'dockerode';
import { AppError } from '../contract/app-error';
import { EVENT_PREFIX } from '../contract/grader-protocol';
import { createSlot, LAUNCHER_READY_LINE } from './candidate-slot';
import { followLines, waitForLine, type FollowResult } from './container-logs';
import {
  appSpec,
  databaseInstances,
  databaseSpec,
  graderSpec,
  launcherStart,
  MAX_GRADER_OUTPUT_BYTES,
  pauseContainerSpec,
  podSecrets,
  referenceStart,
} from './container-specs';
import {
  APP_PORT,
  REF_APP_PORT,
  type PodDefinition,
  type PodHost,
  type PodOutcome,
  type PodSetup,
} from './pod-definition';
import { PreparedPod, sandboxFailure, stoppedFromOutside } from './prepared-pod';
import { startPodRemoval } from './removal-registry';

/**
 * Starts a pod up to the candidate (docs/sandbox.md, "Pod layout"): a network owner with only loopback, the
 * seeded databases (and a reference twin per service), the grader, and the reference solution, all joined to
 * the owner's network namespace, hardened and labelled; resolves once the grader says it waits for the
 * candidate (the reference answers). When `signal` aborts first, resolves with `timedOut` set. On failure the
 * pod's removal is started and AppError SANDBOX_FAILED (retryable) is thrown (database or reference never
 * ready, Docker errors).
 */
export async function preparePod(host: PodHost, def: PodSetup, signal: AbortSignal): Promise<PreparedPod> {
  const { docker, log } = host;
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (k: string): void => {
    timings[k] = Date.now() - t0;
  };
  const create = async (opts: Docker.ContainerCreateOptions): Promise<Docker.Container> => {
    const c = await docker.createContainer(opts);
    log.debug({ runId: def.runId, name: opts.name, id: c.id }, 'created container');
    return c;
  };
  let follow: FollowResult | null = null;
  let launcherReady: Promise<Docker.Container> | null = null;
  let owner: Docker.Container | null = null;
  try {
    owner = await create(pauseContainerSpec(def));
    await owner.start();
    const netns = `container:${owner.id}`;
    mark('owner_started');

    // Databases (and, with a reference, a twin per service so the reference's indexes never help the candidate).
    const dbEnv = databaseInstances(def.services, def.reference !== null);
    const secrets = podSecrets(def.secrets);
    // The candidate's container starts now, on its empty slot, beside the databases: its launcher waits for
    // run() (candidate-slot.ts), so the time gVisor takes to start a sandbox is off the grading's path.
    launcherReady = (async () => {
      await createSlot(def.slotDir);
      const c = await create(
        appSpec(
          def,
          netns,
          { name: 'app', role: 'app' },
          launcherStart(def.slotDir, def.candidateLaunch),
          APP_PORT,
          dbEnv.filter((d) => !d.twin),
          secrets,
        ),
      );
      await c.start();
      await waitForLine(docker, c, LAUNCHER_READY_LINE, 60_000).catch((err: unknown) => {
        throw new AppError('SANDBOX_FAILED', `the candidate's container did not start: ${String(err)}`, {
          retryable: true,
        });
      });
      return c;
    })();
    launcherReady.catch(() => undefined); // awaited below, or settled in the catch when something else failed
    await Promise.all(
      dbEnv.map(async (d) => {
        const image = def.images.services[d.svc.name];
        if (!image) throw new AppError('SANDBOX_FAILED', `no image for service ${d.svc.name}`);
        const c = await create(databaseSpec(def, d, image, netns));
        // The socket dir and /tmp are tmpfs owned by postgres (uid 999).
        await c.start();
        await waitForLine(docker, c, 'STACKGRADE_DB_READY', 60_000).catch((err: unknown) => {
          throw new AppError(
            'SANDBOX_FAILED',
            `database ${d.svc.name} did not become ready: ${String(err)}`,
            { retryable: true },
          );
        });
      }),
    );
    mark('databases_ready');

    const main = dbEnv.filter((d) => !d.twin);
    const refs = dbEnv.filter((d) => d.twin);

    const grader = await create(graderSpec(def, main, refs, netns, secrets));

    let pod: PreparedPod | null = null;
    const early: { event?: string; check?: unknown; output?: unknown }[] = [];
    let resolveRefReady!: () => void;
    const refReady = new Promise<void>((r) => (resolveRefReady = r));
    let resolveAwaiting!: () => void;
    const awaiting = new Promise<void>((r) => (resolveAwaiting = r));
    await grader.start();
    mark('grader_started');
    follow = await followLines(docker, grader, {
      maxBytes: MAX_GRADER_OUTPUT_BYTES,
      onStdoutLine: (line) => {
        if (!line.startsWith(EVENT_PREFIX)) return;
        let ev: { event?: string; check?: unknown; output?: unknown };
        try {
          ev = JSON.parse(line.slice(EVENT_PREFIX.length)) as typeof ev;
        } catch (err) {
          log.error(
            { runId: def.runId, bytes: line.length, err: String(err), head: line.slice(0, 200) },
            'grader wrote an event line that is not JSON',
          );
          return;
        }
        if (ev.event === 'ref-ready') resolveRefReady();
        else if (ev.event === 'awaiting-candidate') resolveAwaiting();
        else if (pod) pod.onEvent(ev);
        else early.push(ev);
      },
    });
    const followed = follow;

    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal.aborted) resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });

    let timedOut = false;
    if (def.reference) {
      const ref = await create(
        appSpec(
          def,
          netns,
          { name: 'ref-app', role: 'ref-app' },
          referenceStart(def.reference),
          REF_APP_PORT,
          refs,
          secrets,
        ),
      );
      await ref.start();
      const r = await Promise.race([
        refReady.then(() => 'ready' as const),
        followed.ended.then(() => 'grader-ended' as const),
        aborted,
      ]);
      if (r === 'aborted') timedOut = true;
      else if (r === 'grader-ended')
        throw new AppError('SANDBOX_FAILED', 'the reference solution did not become ready', {
          retryable: true,
        });
      else mark('reference_ready');
    }
    if (!timedOut) {
      // The grader arms its signal handler before it says so; without a reference it may also end early
      // (a setup error such as a canary mismatch), which run() then reports.
      const r = await Promise.race([
        awaiting.then(() => 'awaiting' as const),
        followed.ended.then(() => 'grader-ended' as const),
        aborted,
      ]);
      if (r === 'aborted') timedOut = true;
      else if (r === 'grader-ended' && def.reference)
        throw new AppError('SANDBOX_FAILED', 'the grader ended before the candidate could start', {
          retryable: true,
        });
    }
    const launcher = await launcherReady;
    mark('launcher_ready');
    pod = new PreparedPod(host, def, {
      owner,
      grader,
      launcher,
      follow: followed,
      expected: 3 + dbEnv.length + (def.reference ? 1 : 0),
      timedOut,
      startedAt: t0,
      timings,
    });
    for (const ev of early) pod.onEvent(ev);
    return pod;
  } catch (err) {
    follow?.stop();
    // A database or the reference "not ready" because the pod was stopped from outside is reported as that.
    const stopped = owner ? await stoppedFromOutside(owner, 'start-up') : null;
    await launcherReady?.catch(() => undefined); // so the removal below sees its container
    startPodRemoval(host, def);
    throw stopped ?? sandboxFailure(def.runId, err);
  }
}

/**
 * Runs one grading pod, cold: {@link preparePod} then {@link PreparedPod.run} (or only the preparation with
 * `stopWhenReady`). Follows the grader's event lines, enforces the deadline through `signal`, and always
 * removes every container of the run: the removal starts as it returns and is tracked by `host.removals`,
 * not awaited. Timings are ms from the pod's start.
 * Throws AppError SANDBOX_FAILED (retryable) for platform failures (database never ready, Docker errors).
 */
export async function runPod(host: PodHost, def: PodDefinition, signal: AbortSignal): Promise<PodOutcome> {
  const pod = await preparePod(host, def, signal);
  return pod.run(def.candidate, def.submissionId, signal, {
    since: pod.startedAt,
    withPrepTimings: true,
    startCandidate: !def.stopWhenReady,
    ...(def.onGraderProgress ? { onGraderProgress: def.onGraderProgress } : {}),
  });
}
