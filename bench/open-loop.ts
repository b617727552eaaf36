import { performance } from 'node:perf_hooks';

/**
 * Calls `fn` `rps` times per second for `seconds`, each call started when it is due whether or not earlier
 * calls have finished (an open loop, as independent clients arrive), and returns each call's latency in ms
 * counted from when it was due, so a late start — a CPU-starved loop, a full connection pool — counts as
 * the client would see it (no coordinated omission: Gil Tene, "How NOT to measure latency"; the model of
 * wrk2 and vegeta). Calls that reject are counted in `failed` and left out of the latencies.
 */
export async function openLoop(
  rps: number,
  seconds: number,
  fn: () => Promise<unknown>,
): Promise<{ latenciesMs: number[]; failed: number }> {
  const total = Math.round(rps * seconds);
  const latenciesMs: number[] = [];
  let failed = 0;
  const runs: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    runs.push(
      fn().then(
        () => void latenciesMs.push(performance.now() - due),
        () => void failed++,
      ),
    );
  }
  await Promise.all(runs);
  return { latenciesMs, failed };
}
