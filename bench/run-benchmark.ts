import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { GradingEnvironment } from '../runner/grading/grading-environment';
import { packDirectory } from '../runner/archive';
import { releaseWorkerRoot } from '../runner/grading/work-folders';
import type { Logger } from '../runner/lib/logger';
import { offerBurstLoad, offerOpenLoad } from './api-submit-load';
import { profileSubmitStages, type SubmitStagesSample } from './api-submit-stages';
import { BenchStack } from './bench-stack';
import { measureEndToEnd, type EndToEndSample } from './end-to-end';
import { figure, type Figure } from './figure';
import { measureFloorContainer } from './floor-container';
import { measureFloorNodeRss } from './floor-node-rss';
import { measureFloorPodPg } from './floor-pod-pg';
import { machineInfo, type MachineInfo } from './machine-info';
import { OFFERED_RPS, type BenchOptions } from './options';
import { PodMemorySampler } from './pod-memory';
import { measurePodReady, measureWarmPodReady, prepareBenchReference } from './pod-ready';
import { SharedMachineWatch } from './shared-machine';
import { summarizeCheckDurations, type CheckDurations } from './slowest-checks';
import { summarize } from './stats';
import { judgeTargets, type TargetResult } from './targets';
import { measureThroughput, type ThroughputSample } from './throughput';

/** The challenge every figure is measured on. */
export const BENCH_CHALLENGE = 'orders-api';

/** Everything one benchmark run measured: the JSON document `npm run bench -- --json` prints. */
export interface BenchResult {
  machine: MachineInfo;
  /** Whether other Stackgrade pods ran on the engine during the run, and how often. */
  shared: { foreignRuns: number; sharedFraction: number; samples: number };
  options: {
    iterations: number;
    quick: boolean;
    submissions: number;
    concurrency: number[];
    loadSeconds: number;
    clusterWorkers: number;
  };
  figures: Record<string, Figure>;
  /** Figures not measured in this run (the throughput phase with --quick). */
  skipped: string[];
  targets: TargetResult[];
  /** Where a grading's time goes: medians of the report's pod timings over the end-to-end runs (warm pool), ms. */
  profile: Record<string, number>;
  /** The same for the end-to-end runs with WARM_PODS=0 (every pod cold), ms. */
  profileCold: Record<string, number>;
  throughput: ThroughputSample[];
  /** Per-check durations over the end-to-end gradings (warm pool). */
  checkDurations: CheckDurations;
  /** POST /v1/submissions in-process, stage by stage, at the offered rate (what limits api_submit_p99_ms). */
  submitStages: SubmitStagesSample;
  durationMs: number;
}

type Progress = (msg: string) => void;

/**
 * Runs every measurement on this machine (see BENCHMARKS.md for what each figure is), in this
 * order: floors and pod readiness (interleaved), API submit load (workers paused), end-to-end gradings,
 * throughput per concurrency level. Every container, queue and database it creates is removed.
 * Throws when a measurement fails (a grading ending in error, a pod never ready).
 */
export async function runBenchmark(
  env: GradingEnvironment,
  repo: string,
  o: BenchOptions,
  log: Logger,
  progress: Progress,
): Promise<BenchResult> {
  const started = Date.now();
  const docker = env.ctx.docker;
  const inProcessWorker = `bench-${randomUUID().slice(0, 8)}-inproc`;
  const stacks: BenchStack[] = [];
  const ours = (w: string): boolean => w === inProcessWorker || stacks.some((s) => s.workers.includes(w));
  const watch = new SharedMachineWatch(docker, ours);
  watch.start();
  const machine = await machineInfo(docker, env.ctx.runtime, repo);
  const ch = env.challenge(BENCH_CHALLENGE);
  const dbImage = env.images.challenges.get(BENCH_CHALLENGE)?.services[ch.manifest.services[0]!.name];
  if (!dbImage) throw new Error(`no database image for ${BENCH_CHALLENGE}`);
  const n = o.iterations;
  const samples: Record<string, number[]> = {};
  const loads: Record<string, number[]> = {};
  const push = (k: string, v: number | null | undefined): void => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    (samples[k] ??= []).push(v);
    (loads[k] ??= []).push(os.loadavg()[0]!);
  };

  try {
    // Floors and pod readiness, interleaved so drifting load hits both alike.
    const reference = await prepareBenchReference(env, BENCH_CHALLENGE);
    for (let i = 0; i < n; i++) {
      progress(`floors and pod readiness ${i + 1}/${n}`);
      push('floor_node_rss_mb', await measureFloorNodeRss());
      push('floor_container_ms', await measureFloorContainer());
      const fp = await measureFloorPodPg(
        docker,
        { ownerImage: env.ctx.ownerImage, dbImage, worker: inProcessWorker },
        log,
      );
      push('floor_pod_pg_ms', fp.readyMs);
      push('floor_pod_pg_mb', fp.peakMb);
      push('pod_ready_cold_ms', await measurePodReady(env, BENCH_CHALLENGE, reference, inProcessWorker));
      push('pod_ready_ms', await measureWarmPodReady(env, BENCH_CHALLENGE, reference, inProcessWorker));
    }

    // POST /v1/submissions at a fixed offered load, no runner (workers paused); GET /healthz as the floor.
    // The API as configured by default (one process) and, running beside it on a database of its own, the
    // API as several processes (API_WORKERS, node:cluster): their runs alternate, so drift hits both alike.
    const small = await packDirectory(ch.starterDir);
    const load = await BenchStack.create(repo);
    stacks.push(load);
    const cluster = o.clusterWorkers > 0 ? await BenchStack.create(repo) : null;
    if (cluster) stacks.push(cluster);
    try {
      await load.startApi(1);
      await cluster?.startApi(o.clusterWorkers);
      const submitUrl = (s: BenchStack): string => `${s.url}/v1/submissions?challenge_id=${BENCH_CHALLENGE}`;
      const healthUrl = `${load.url}/healthz`;
      for (const s of [load, cluster])
        // warm-up
        if (s) await offerOpenLoad({ url: submitUrl(s), rps: OFFERED_RPS, seconds: 2, body: small });
      for (let i = 0; i < n; i++) {
        progress(`API submit load ${i + 1}/${n}`);
        const secs = o.loadSeconds;
        const h = await offerOpenLoad({ url: healthUrl, rps: OFFERED_RPS, seconds: secs });
        push('api_health_p99_ms', h.p99Ms);
        push('api_health_rps', h.rps);
        const s = await offerOpenLoad({ url: submitUrl(load), rps: OFFERED_RPS, seconds: secs, body: small });
        if (s.bad > 0) progress(`  ${s.bad} of ${s.requests} submissions were not accepted`);
        push('api_submit_p99_ms', s.p99Ms);
        push('api_submit_rps', s.rps);
        if (cluster) {
          const c = await offerOpenLoad({
            url: submitUrl(cluster),
            rps: OFFERED_RPS,
            seconds: secs,
            body: small,
          });
          if (c.bad > 0)
            progress(`  API_WORKERS=${o.clusterWorkers}: ${c.bad} of ${c.requests} not accepted`);
          push('api_submit_p99_cluster_ms', c.p99Ms);
        }
        // The same rate as autocannon offers it: a burst at the start of every second.
        const hb = await offerBurstLoad({ url: healthUrl, rps: OFFERED_RPS, seconds: secs });
        push('api_health_burst_p99_ms', hb.p99Ms);
        const sb = await offerBurstLoad({
          url: submitUrl(load),
          rps: OFFERED_RPS,
          seconds: secs,
          body: small,
        });
        push('api_submit_burst_p99_ms', sb.p99Ms);
      }
      await load.stopApi();
      await cluster?.stopApi();
    } finally {
      await load.close();
      await cluster?.close();
    }
    progress('API submit stages (in-process, no HTTP)');
    const submitStages = await profileSubmitStages({
      mongoUri: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017',
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      catalog: env.catalog,
      challengeId: BENCH_CHALLENGE,
      body: small,
      rps: OFFERED_RPS,
      seconds: Math.min(5, o.loadSeconds),
    });
    for (const m of load.apiPeaksMb) push('api_rss_peak_mb', m);
    // The cluster API's peak is the sum over the primary and its workers: not one process like the others.
    for (const m of cluster?.apiPeaksMb ?? []) push('api_cluster_rss_peak_mb', m);

    // End-to-end gradings of the reference, then throughput per runner concurrency.
    const refArchive = await packDirectory(ch.referenceDir);
    const stack = await BenchStack.create(repo);
    stacks.push(stack);
    const pods = new PodMemorySampler(docker, () => stack.workers);
    pods.start();
    const e2e: EndToEndSample[] = [];
    const e2eCold: EndToEndSample[] = [];
    const throughput: ThroughputSample[] = [];
    try {
      await stack.startApi();
      // The runner as deployed (WARM_PODS defaults to its concurrency), once its warm pod is ready.
      await stack.startRunner(1, { waitWarmPods: { challenge: BENCH_CHALLENGE, count: 1 } });
      for (let i = 0; i < n; i++) {
        progress(`end-to-end grading ${i + 1}/${n} (warm pool)`);
        const s = await measureEndToEnd(stack, BENCH_CHALLENGE, refArchive);
        e2e.push(s);
        push('e2e_ms', s.e2eMs);
        push('tests_ms', s.testsMs);
        push('overhead_ms', s.overheadMs);
      }
      await stack.stopRunner();
      await stack.startRunner(1, { warmPods: 0 });
      for (let i = 0; i < n; i++) {
        progress(`end-to-end grading ${i + 1}/${n} (WARM_PODS=0, cold pods)`);
        const s = await measureEndToEnd(stack, BENCH_CHALLENGE, refArchive);
        e2eCold.push(s);
        push('e2e_cold_ms', s.e2eMs);
        push('overhead_cold_ms', s.overheadMs);
      }
      await stack.stopRunner();
      if (!o.quick) {
        for (const c of o.concurrency) {
          progress(`throughput: ${o.submissions} submission(s) at concurrency ${c}`);
          const t = await measureThroughput(
            stack,
            BENCH_CHALLENGE,
            refArchive,
            o.submissions,
            c,
            o.submissions * 600_000,
          );
          throughput.push(t);
          push(`throughput_per_min_c${c}`, t.perMin);
          if (t.failures > 0) progress(`  ${t.failures} failure(s) at concurrency ${c}`);
        }
      }
      await stack.stopApi();
    } finally {
      pods.stop();
      await stack.close();
    }
    for (const m of stack.apiPeaksMb) push('api_rss_peak_mb', m);
    for (const m of stack.runnerPeaksMb) push('runner_rss_peak_mb', m);
    for (const m of pods.podPeaksMb()) push('pod_memory_peak_mb', m);

    const s = (k: string) => {
      const xs = samples[k];
      if (!xs?.length) throw new Error(`no samples of ${k}`);
      return summarize(xs);
    };
    const f: Record<string, Figure> = {};
    const floor = (name: string) => ({ name, figure: f[name]! });
    f.floor_container_ms = figure(
      'ms',
      'docker run --rm debian:bookworm-slim true (CLI wall time)',
      s('floor_container_ms'),
    );
    f.floor_pod_pg_ms = figure(
      'ms',
      'network owner + PostgreSQL 15 (seeded cluster, no per-pod set-up) answering pg_isready',
      s('floor_pod_pg_ms'),
    );
    f.pod_ready_ms = figure(
      'ms',
      'orders-api pod ready for the candidate, warm pool (default): take() until a living warm pod is in hand',
      s('pod_ready_ms'),
      floor('floor_pod_pg_ms'),
    );
    f.pod_ready_cold_ms = figure(
      'ms',
      'orders-api pod started cold (WARM_PODS=0): owner, seeded database and its twin, grader, reference app answering /health',
      s('pod_ready_cold_ms'),
      floor('floor_pod_pg_ms'),
    );
    f.tests_ms = figure('ms', "time inside the hidden tests: sum of the checks' durations", s('tests_ms'));
    f.e2e_ms = figure(
      'ms',
      'POST /v1/submissions of the reference → report stored (API + BullMQ worker + store), warm pool',
      s('e2e_ms'),
      floor('tests_ms'),
    );
    f.overhead_ms = figure(
      'ms',
      'e2e_ms − tests_ms of the same grading (warm pool)',
      s('overhead_ms'),
      floor('floor_pod_pg_ms'),
    );
    f.e2e_cold_ms = figure(
      'ms',
      'as e2e_ms with WARM_PODS=0 (every pod started cold)',
      s('e2e_cold_ms'),
      floor('tests_ms'),
    );
    f.overhead_cold_ms = figure(
      'ms',
      'e2e_cold_ms − tests_ms of the same grading (WARM_PODS=0)',
      s('overhead_cold_ms'),
      floor('floor_pod_pg_ms'),
    );
    const skipped: string[] = [];
    if (o.quick) skipped.push(...o.concurrency.map((c) => `throughput_per_min_c${c}`));
    else {
      const testsMed = f.tests_ms.summary.median;
      f.throughput_ideal_per_min = figure(
        'per_min',
        'one runner slot busy only with hidden tests: 60,000 / tests_ms median',
        summarize([60_000 / testsMed]),
      );
      for (const c of o.concurrency) {
        const k = `throughput_per_min_c${c}`;
        f[k] = figure(
          'per_min',
          `reference submissions graded per minute at runner concurrency ${c} (${o.submissions} queued)`,
          s(k),
          c === o.concurrency[0]
            ? floor('throughput_ideal_per_min')
            : floor(`throughput_per_min_c${o.concurrency[0]}`),
        );
      }
    }
    f.api_health_rps = figure(
      'rps',
      `GET /healthz answered per second at ${OFFERED_RPS} offered`,
      s('api_health_rps'),
    );
    f.api_submit_rps = figure(
      'rps',
      `POST /v1/submissions (starter, tar.gz) answered per second at ${OFFERED_RPS} offered, runner paused`,
      s('api_submit_rps'),
      floor('api_health_rps'),
    );
    f.api_health_p99_ms = figure(
      'ms',
      `p99 latency of GET /healthz at ${OFFERED_RPS} requests/s, open loop (each request sent when due; latency from then)`,
      s('api_health_p99_ms'),
    );
    f.api_submit_p99_ms = figure(
      'ms',
      `p99 latency of POST /v1/submissions at ${OFFERED_RPS} requests/s, open loop (each request sent when due; latency from then)`,
      s('api_submit_p99_ms'),
      floor('api_health_p99_ms'),
    );
    if (o.clusterWorkers > 0)
      f.api_submit_p99_cluster_ms = figure(
        'ms',
        `as api_submit_p99_ms with the API as ${o.clusterWorkers} processes (API_WORKERS=${o.clusterWorkers}, node:cluster)`,
        s('api_submit_p99_cluster_ms'),
        floor('api_health_p99_ms'),
      );
    f.api_health_burst_p99_ms = figure(
      'ms',
      `p99 latency of GET /healthz, autocannon overallRate ${OFFERED_RPS}/s over 64 connections (a burst each second)`,
      s('api_health_burst_p99_ms'),
    );
    f.api_submit_burst_p99_ms = figure(
      'ms',
      `p99 latency of POST /v1/submissions, autocannon overallRate ${OFFERED_RPS}/s over 64 connections (a burst each second)`,
      s('api_submit_burst_p99_ms'),
      floor('api_health_burst_p99_ms'),
    );
    f.floor_node_rss_mb = figure('mb', 'peak RSS of a bare Node.js process', s('floor_node_rss_mb'));
    f.api_rss_peak_mb = figure(
      'mb',
      'peak RSS (VmHWM) of each API process (API_WORKERS=1, the default)',
      s('api_rss_peak_mb'),
      floor('floor_node_rss_mb'),
    );
    if (cluster)
      f.api_cluster_rss_peak_mb = figure(
        'mb',
        `peak RSS (VmHWM) of the API with API_WORKERS=${o.clusterWorkers}, summed over the primary and its workers`,
        s('api_cluster_rss_peak_mb'),
        floor('floor_node_rss_mb'),
      );
    f.runner_rss_peak_mb = figure(
      'mb',
      'peak RSS (VmHWM) of each runner process',
      s('runner_rss_peak_mb'),
      floor('floor_node_rss_mb'),
    );
    f.floor_pod_pg_mb = figure(
      'mb',
      'peak cgroup memory of the floor pod (owner + PostgreSQL)',
      s('floor_pod_pg_mb'),
    );
    f.pod_memory_peak_mb = figure(
      'mb',
      "per grading pod: sum of its containers' cgroup memory.max_usage_in_bytes",
      s('pod_memory_peak_mb'),
      floor('floor_pod_pg_mb'),
    );

    for (const k of Object.keys(f))
      f[k] = { ...f[k]!, load: figure('ms', '', f[k]!.summary, undefined, loads[k]).load };
    const profileOf = (runs: readonly EndToEndSample[]): Record<string, number> => {
      const profile: Record<string, number> = {};
      const keys = new Set(runs.flatMap((x) => Object.keys(x.timings)));
      for (const k of keys) {
        const xs = runs.map((x) => x.timings[k]).filter((v): v is number => v !== undefined);
        if (xs.length) profile[k] = summarize(xs).median;
      }
      return profile;
    };
    watch.stop();
    return {
      machine,
      shared: watch.result(),
      options: {
        iterations: n,
        quick: o.quick,
        submissions: o.submissions,
        concurrency: o.concurrency,
        loadSeconds: o.loadSeconds,
        clusterWorkers: o.clusterWorkers,
      },
      figures: f,
      skipped,
      targets: judgeTargets(f),
      profile: profileOf(e2e),
      profileCold: profileOf(e2eCold),
      throughput,
      checkDurations: summarizeCheckDurations(
        BENCH_CHALLENGE,
        e2e,
        e2e.map((x) => x.load),
        machine,
      ),
      submitStages,
      durationMs: Date.now() - started,
    };
  } finally {
    watch.stop();
    await releaseWorkerRoot(env.ctx.config.STACKGRADE_HOME, inProcessWorker);
  }
}
