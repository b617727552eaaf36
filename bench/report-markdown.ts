import type { BenchResult } from './run-benchmark';

const fmt = (x: number): string => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : String(x));

/**
 * What each pod timing in the profile means (marks are ms from the pod's first container's creation for a
 * cold pod, from the take for a warm one).
 */
const PROFILE_NOTES: Record<string, string> = {
  prepare: 'grading start → dependencies ready (install cache lookup, reference packed and read)',
  owner_started: 'network owner created and started',
  databases_ready: 'seeded database and its twin started and announced ready',
  grader_started: 'grader container created and started',
  reference_ready: 'reference app started and answering /health (seen by the grader)',
  launcher_ready:
    "candidate's container started on the empty slot, its launcher waiting (pod ready for a candidate)",
  candidate_started: "candidate's files in the slot and its launcher released (its start command runs)",
  candidate_ready: 'candidate answering /health (seen by the grader)',
  grader_finished: 'grader done: fixtures set-up and every check',
  checks: "sum of the checks' own durations (tests_ms)",
  total: 'pod start → outcome returned (container removal started, not awaited)',
  outside_grading: 'queue wait, job pick-up, archive read, report stored (e2e − prepare − total)',
  pod_taken: 'warm pod: take() until a living warm pod was in hand (marks of a warm grading count from here)',
  warm_pod: '1 when the grading ran in a warm pod',
  warm_pod_idle: 'warm pod: how long it waited in the pool before it was taken',
};

/**
 * Renders BENCHMARKS.md: the machine, the options, every figure with min/median/p95, runs and its ratio to
 * the floor of the same run, the targets met or not, the profile of a grading and the throughput runs.
 * `notes` is free Markdown appended at the end (what was optimised, how the numbers were taken).
 */
export function renderMarkdown(r: BenchResult, notes = ''): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    'Measured by `npm run bench` (code in `bench/`) on the machine below; regenerate with `npm run bench` ' +
      '(`--iterations N`, `--submissions N`, `--concurrency 1,2,4`, `--cluster-workers N`, `--quick`, `--json`, `--only runtimes|checks|catalog`). Every figure is ' +
      'reported next to a floor measured in the same run, as a ratio of medians.',
    '',
  );
  lines.push('## Machine', '');
  lines.push('| | |', '|---|---|');
  lines.push(`| CPU | ${m.cpu} |`, `| cores | ${m.cores} |`, `| memory | ${fmt(m.memoryMb)} MiB |`);
  lines.push(`| kernel | ${m.kernel} |`, `| Docker | ${m.docker} |`);
  lines.push(
    `| runtimes | ${m.runtimes.join(', ')}; candidate containers ran under \`${m.candidateRuntime}\` |`,
  );
  lines.push(`| Node.js | ${m.node} |`, `| date | ${m.date} |`, `| git commit | ${m.commit} |`);
  const sh = r.shared;
  lines.push(
    `| shared | ${sh.foreignRuns > 0 ? `**yes**: ${sh.foreignRuns} pod run(s) of other users were seen in ${Math.round(sh.sharedFraction * 100)} % of ${sh.samples} samples, so CPU was shared` : `no other Stackgrade pods were seen (${sh.samples} samples)`} |`,
  );
  lines.push(
    `| options | ${r.options.iterations} iteration(s)${r.options.quick ? ', --quick' : ''}; throughput: ${r.options.submissions} queued submission(s) per concurrency level (${r.options.concurrency.join(', ')}); API load ${r.options.loadSeconds} s per run (API_WORKERS=1, and ${r.options.clusterWorkers} for the cluster figures); total ${fmt(Math.round(r.durationMs / 1000))} s |`,
    '',
  );
  lines.push('## Figures', '');
  lines.push(
    '| figure | unit | min | median | p95 | runs | floor | ratio to floor | load avg (median / max) | what |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---|---:|---:|---|');
  for (const [name, f] of Object.entries(r.figures)) {
    const s = f.summary;
    const load = f.load ? `${f.load.median} / ${f.load.max}` : '';
    lines.push(
      `| \`${name}\` | ${f.unit} | ${fmt(s.min)} | ${fmt(s.median)} | ${fmt(s.p95)} | ${s.runs} | ${f.floor ? `\`${f.floor}\`` : '(floor)'} | ${f.ratio ?? ''} | ${load} | ${f.what} |`,
    );
  }
  lines.push(
    '',
    'Load average: the 1-minute load average (/proc/loadavg) when each sample ended; this machine has ' +
      `${m.cores} cores, so a higher value means processes waited for CPU during the measurement.`,
  );
  if (r.skipped.length)
    lines.push('', `Not measured in this run: ${r.skipped.map((x) => `\`${x}\``).join(', ')}.`);
  lines.push('', '## Targets (medians)', '');
  lines.push('| target | value | limit | met |', '|---|---:|---:|---|');
  for (const t of r.targets)
    lines.push(`| ${t.target} | ${fmt(t.value)} | ${fmt(t.limit)} | ${t.met ? 'met' : '**not met**'} |`);
  lines.push('', "## Where a grading's time goes", '');
  lines.push(
    "Medians over the end-to-end gradings of the reference, from the reports' `sandbox.timings_ms`: with " +
      'the warm pool (default) and with `WARM_PODS=0` (cold pods).',
    '',
  );
  lines.push('| timing | warm pool, ms | cold, ms | meaning |', '|---|---:|---:|---|');
  const keys = [...new Set([...Object.keys(r.profileCold), ...Object.keys(r.profile)])];
  const cell = (v: number | undefined): string => (v === undefined ? '' : fmt(v));
  for (const k of keys)
    lines.push(
      `| \`${k}\` | ${cell(r.profile[k])} | ${cell(r.profileCold[k])} | ${PROFILE_NOTES[k] ?? ''} |`,
    );
  const st = r.submitStages;
  lines.push('', '## POST /v1/submissions by stage', '');
  lines.push(
    `The submit use case in-process (no HTTP), each stage alone at ${st.rps} requests/s (open loop, ` +
      `${st.requests} requests; latency from when a request was due), then the whole use case; load average ` +
      `${st.load1}, event-loop delay p99 ${st.loopDelayP99} ms during the whole run.`,
    '',
  );
  lines.push('| stage | p50 ms | p99 ms | max ms |', '|---|---:|---:|---:|');
  for (const [k, v] of [...Object.entries(st.stages), ['whole use case', st.total] as const])
    lines.push(`| ${k} | ${v.p50} | ${v.p99} | ${v.max} |`);
  if (r.throughput.length) {
    lines.push('', '## Throughput runs', '');
    lines.push(
      '| concurrency | submissions | wall s | per minute | failures | scores |',
      '|---:|---:|---:|---:|---:|---|',
    );
    for (const t of r.throughput)
      lines.push(
        `| ${t.concurrency} | ${t.submissions} | ${fmt(Math.round(t.wallMs / 100) / 10)} | ${fmt(Math.round(t.perMin * 100) / 100)} | ${t.failures} | ${[...new Set(t.scores)].join(', ')} |`,
      );
  }
  if (notes.trim()) lines.push('', notes.trim());
  return `${lines.join('\n')}\n`;
}
