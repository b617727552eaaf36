import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { GradeReport } from '../runner/contract/grade-result.schema';
import { readSolutionDir } from '../runner/grading/grade-submission';
import type { GradingEnvironment } from '../runner/grading/grading-environment';
import { machineInfo, type MachineInfo } from './machine-info';
import { median } from './stats';

/** Heading of the section {@link renderSlowestChecksSection} writes into BENCHMARKS.md. */
export const SLOWEST_CHECKS_HEADING = '## Slowest checks';

/** How many checks the section lists. */
const TOP = 10;

/** One check's durations over the gradings measured, ms. */
export interface CheckDuration {
  id: string;
  category: string;
  median: number;
  max: number;
  /** Its share of the median tests_ms, 0–1. */
  share: number;
}

/** Per-check durations of gradings of the reference (the report's `tests[].duration_ms`). */
export interface CheckDurations {
  machine: MachineInfo | null;
  challenge: string;
  /** Gradings measured. */
  runs: number;
  /** tests_ms of each grading: the sum of its checks' durations. */
  testsMs: number[];
  /** 1-minute load average when each grading ended. */
  load: number[];
  /** Every check, slowest median first. */
  checks: CheckDuration[];
}

/** Summarizes the check durations of `reports` (a report without durations counts 0 for its checks). */
export function summarizeCheckDurations(
  challenge: string,
  reports: readonly Pick<GradeReport, 'tests'>[],
  load: number[],
  machine: MachineInfo | null = null,
): CheckDurations {
  const testsMs = reports.map((r) => r.tests.reduce((s, t) => s + (t.duration_ms ?? 0), 0));
  const total = testsMs.length ? median(testsMs) : 0;
  const byId = new Map<string, { category: string; xs: number[] }>();
  for (const r of reports)
    for (const t of r.tests) {
      const e = byId.get(t.id) ?? { category: t.category, xs: [] };
      e.xs.push(t.duration_ms ?? 0);
      byId.set(t.id, e);
    }
  const checks = [...byId].map(([id, { category, xs }]) => {
    const m = median(xs);
    return { id, category, median: m, max: Math.max(...xs), share: total ? m / total : 0 };
  });
  checks.sort((a, b) => b.median - a.median);
  return { machine, challenge, runs: reports.length, testsMs, load, checks };
}

/**
 * Grades `challenge`'s reference `iterations` times through the runner (no API, no queue: `npm run bench
 * -- --only checks`) and summarizes its checks' durations. Throws when a grading ends in error.
 */
export async function measureCheckDurations(
  env: GradingEnvironment,
  repo: string,
  challenge: string,
  iterations: number,
  progress: (msg: string) => void,
): Promise<CheckDurations> {
  const machine = await machineInfo(env.ctx.docker, env.ctx.runtime, repo);
  const files = await readSolutionDir(env.challenge(challenge).referenceDir);
  const reports: GradeReport[] = [];
  const load: number[] = [];
  for (let i = 0; i < iterations; i++) {
    progress(`check durations: grading ${i + 1}/${iterations} of the ${challenge} reference`);
    const report = await env.grade(challenge, { files, submissionId: randomUUID(), attempt: 1 });
    await env.settleRemovals();
    if (report.status === 'error') throw new Error(`grading ${i + 1} ended in error: ${report.message}`);
    reports.push(report);
    load.push(Math.round(os.loadavg()[0]! * 100) / 100);
  }
  return summarizeCheckDurations(challenge, reports, load, machine);
}

/** The BENCHMARKS.md section: the ten slowest checks by median duration and the gradings' tests_ms. */
export function renderSlowestChecksSection(d: CheckDurations): string {
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  const lines = [SLOWEST_CHECKS_HEADING, ''];
  const where = d.machine
    ? ` on ${d.machine.cores} cores (${d.machine.cpu}), ${d.machine.date}, git ${d.machine.commit.slice(0, 10)}`
    : '';
  lines.push(
    `The ${TOP} slowest checks of ${d.runs} grading(s) of the ${d.challenge} reference${where}: each check's ` +
      '`duration_ms` from the report (median and max, ms) and its share of the median tests_ms. tests_ms of ' +
      `each grading: ${d.testsMs.map(fmt).join(', ')}; 1-minute load average at the end of each: ` +
      `${d.load.join(', ')}.`,
    '',
  );
  lines.push('| check | category | median ms | max ms | share of tests_ms |', '|---|---|---:|---:|---:|');
  for (const c of d.checks.slice(0, TOP))
    lines.push(
      `| \`${c.id}\` | ${c.category} | ${fmt(c.median)} | ${fmt(c.max)} | ${Math.round(c.share * 1000) / 10} % |`,
    );
  return `${lines.join('\n')}\n`;
}
