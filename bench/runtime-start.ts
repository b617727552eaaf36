import path from 'node:path';
import { packDirectory, readArchive } from '../runner/archive';
import type { GradingEnvironment } from '../runner/grading/grading-environment';
import { machineInfo, type MachineInfo } from './machine-info';
import { summarize, type Summary } from './stats';

/** The test challenge whose references (one per candidate runtime) this measurement grades. */
export const RUNTIMES_CHALLENGE = 'attack-lab';
/** Reference folder of each candidate runtime in attack-lab (test/attacks/challenge/attack-lab). */
const REFERENCES: Record<string, string> = {
  node22: 'reference',
  python3: 'reference-python',
  go: 'reference-go',
};

/** Figures of one candidate runtime, ms. */
export interface RuntimeFigures {
  runtime: string;
  /** Grading of one submission, from the runner's grade call to its report (no API, no queue). */
  gradeMs: Summary;
  /** Candidate start: from the launcher's release of its process to the grader's first healthy answer from it (pod marks `candidate_started`, `candidate_ready`). */
  candidateStartMs: Summary;
  score: number;
}

/** Result of `npm run bench -- --only runtimes`. */
export interface RuntimesResult {
  machine: MachineInfo;
  challenge: string;
  iterations: number;
  runtimes: RuntimeFigures[];
}

/**
 * Grades attack-lab's reference of each runtime `iterations` times through the runner (the first grading
 * of each also fills its dependency cache; it counts like the others). Throws when a grading ends in error
 * or its report lacks the pod marks `candidate_started` / `candidate_ready`.
 */
export async function measureRuntimes(
  env: GradingEnvironment,
  repo: string,
  iterations: number,
  progress: (msg: string) => void,
): Promise<RuntimesResult> {
  const machine = await machineInfo(env.ctx.docker, env.ctx.runtime, repo);
  const dir = env.challenge(RUNTIMES_CHALLENGE).dir;
  const runtimes: RuntimeFigures[] = [];
  for (const [runtime, folder] of Object.entries(REFERENCES)) {
    const data = await packDirectory(path.join(dir, folder));
    const grade: number[] = [];
    const start: number[] = [];
    let score = 0;
    for (let i = 0; i < iterations; i++) {
      progress(`runtimes: ${runtime} ${i + 1}/${iterations}`);
      const files = await readArchive({ format: 'tar.gz', data });
      const t0 = Date.now();
      const report = await env.grade(RUNTIMES_CHALLENGE, {
        files,
        submissionId: `bench-runtime-${runtime}-${Date.now().toString(36)}`,
        attempt: 1,
      });
      grade.push(Date.now() - t0);
      const t = report.sandbox.timings_ms;
      if (report.status === 'error' || t.candidate_started === undefined || t.candidate_ready === undefined)
        throw new Error(`${runtime}: grading ended ${report.status}: ${report.message ?? ''}`);
      start.push(t.candidate_ready - t.candidate_started);
      score = report.scores.overall;
    }
    runtimes.push({ runtime, gradeMs: summarize(grade), candidateStartMs: summarize(start), score });
  }
  return { machine, challenge: RUNTIMES_CHALLENGE, iterations, runtimes };
}

/** The BENCHMARKS.md section of a runtimes measurement (Markdown, starting with its `##` heading). */
export function renderRuntimesSection(r: RuntimesResult): string {
  const m = r.machine;
  const rows = r.runtimes.map(
    (x) =>
      `| ${x.runtime} | ${x.gradeMs.median} | ${x.gradeMs.p95} | ${x.candidateStartMs.median} | ${x.candidateStartMs.p95} | ${x.score} |`,
  );
  return [
    '## Per candidate runtime',
    '',
    `Measured ${m.date} at commit ${m.commit} on ${m.cpu}, ${m.cores} cores, ${m.memoryMb} MB, ${m.kernel},`,
    `Docker ${m.docker}, candidate runtime ${m.candidateRuntime}; Node ${m.node}. The machine was shared with`,
    `other work while measuring, so the figures are upper bounds. \`npm run bench -- --only runtimes\`: the`,
    `reference of each runtime of the \`${r.challenge}\` test challenge, graded ${r.iterations} time(s) through the`,
    'runner (no API or queue). Grading: from the grade call to the report; candidate start: from the release',
    "of the candidate's process to the grader's first healthy answer from it. Median and p95, ms.",
    '',
    '| runtime | grading median | grading p95 | candidate start median | candidate start p95 | score |',
    '| ------- | -------------- | ----------- | ---------------------- | ------------------- | ----- |',
    ...rows,
    '',
  ].join('\n');
}
