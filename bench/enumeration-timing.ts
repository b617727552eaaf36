import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { GradeReport } from '../runner/contract/grade-result.schema';
import type { GradingEnvironment } from '../runner/grading/grading-environment';
import { readChallengeSolution } from '../runner/grading/validate-challenge';
import { machineInfo, type MachineInfo } from './machine-info';

/** Heading of the section {@link renderEnumerationTimingSection} writes into BENCHMARKS.md. */
export const ENUMERATION_TIMING_HEADING = '## Timing-enumeration check';

/** The challenge, its check, and the two solutions measured: the reference must pass, the wrong/ must fail. */
const TIMING_CHALLENGE = 'auth-service';
const TIMING_CHECK = 's-enumeration-timing';
const SOLUTIONS = [
  { name: 'reference', mustFail: false },
  { name: 'wrong/enumeration-timing', mustFail: true },
] as const;

/** What the check decided on in one grading (its evidence `timing`; times in ms). */
export interface TimingRun {
  seed: number;
  status: string;
  /** Median response time of logins with an unknown e-mail and with a wrong password, ms. */
  unknownMs: number | null;
  knownMs: number | null;
  /** Median ratio unknown / known, as the check computes it. */
  ratio: number | null;
  /** Mann–Whitney z and two-sided p of unknown vs known. */
  z: number | null;
  p: number | null;
  /** Tries per sample. */
  n: number | null;
  /** 1-minute load average when the grading ended. */
  load: number;
  /** Wall time of the grading, ms. */
  wallMs: number;
}

/** The runs of one solution. */
export interface TimingSolution {
  name: string;
  /** True for the solution the check must fail (detection), false for the one it must pass (false positive). */
  mustFail: boolean;
  runs: TimingRun[];
  /** Gradings in which the check failed. */
  failed: number;
}

/** The whole measurement. */
export interface TimingMeasurement {
  machine: MachineInfo | null;
  /** 1-, 5- and 15-minute load averages at the start. */
  loadAtStart: number[];
  solutions: TimingSolution[];
}

interface TimingEvidence {
  median_ms?: { unknown_email?: number; wrong_password?: number };
  ratio?: number;
  mann_whitney?: { z?: number; p?: number };
  n?: number;
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The {@link TimingRun} of one report of a run of only the timing check. */
export function timingRunOf(report: GradeReport, seed: number, wallMs: number, load: number): TimingRun {
  const t = report.tests.find((x) => x.id === TIMING_CHECK);
  const e = ((t?.evidence as { timing?: TimingEvidence } | undefined)?.timing ?? {}) as TimingEvidence;
  return {
    seed,
    status: t?.status ?? report.status,
    unknownMs: e.median_ms?.unknown_email ?? null,
    knownMs: e.median_ms?.wrong_password ?? null,
    ratio: e.ratio ?? null,
    z: e.mann_whitney?.z ?? null,
    p: e.mann_whitney?.p ?? null,
    n: e.n ?? null,
    load,
    wallMs,
  };
}

/**
 * Grades the auth-service reference and `wrong/enumeration-timing` `iterations` times each (alternately, so
 * the machine's load weighs on both alike), running only `s-enumeration-timing`, each with its own random
 * grader seed, and collects what the check decided on (`npm run bench -- --only enumeration-timing`).
 * Throws when a grading ends in a platform error.
 */
export async function measureEnumerationTiming(
  env: GradingEnvironment,
  repo: string,
  iterations: number,
  progress: (msg: string) => void,
): Promise<TimingMeasurement> {
  const machine = await machineInfo(env.ctx.docker, env.ctx.runtime, repo);
  const loadAtStart = os.loadavg().map((x) => round(x));
  const dir = env.challenge(TIMING_CHALLENGE).dir;
  const solutions: TimingSolution[] = [];
  const files = [];
  for (const s of SOLUTIONS) {
    files.push(await readChallengeSolution(dir, path.join(dir, s.name)));
    solutions.push({ name: s.name, mustFail: s.mustFail, runs: [], failed: 0 });
  }
  for (let i = 0; i < iterations; i++) {
    for (const [k, sol] of solutions.entries()) {
      const seed = crypto.randomInt(1, 2 ** 31 - 1);
      const t0 = Date.now();
      const report = await env.grade(TIMING_CHALLENGE, {
        files: files[k]!,
        submissionId: crypto.randomUUID(),
        attempt: 1,
        graderSeed: seed,
        onlyChecks: [TIMING_CHECK],
      });
      await env.settleRemovals();
      if (report.status === 'error') throw new Error(`${sol.name} grading ${i + 1}: ${report.message}`);
      const run = timingRunOf(report, seed, Date.now() - t0, round(os.loadavg()[0]!));
      sol.runs.push(run);
      if (run.status !== 'pass') sol.failed++;
      progress(
        `enumeration timing ${i + 1}/${iterations} ${sol.name}: ${run.status} (ratio ${run.ratio?.toFixed(2)}, p ${run.p?.toExponential(1)}, load ${run.load})`,
      );
    }
  }
  return { machine, loadAtStart, solutions };
}

const fmt = (x: number | null, f: (v: number) => string): string => (x === null ? '–' : f(x));

/** The BENCHMARKS.md section: false-positive and detection counts, then every grading's statistics. */
export function renderEnumerationTimingSection(m: TimingMeasurement): string {
  const where = m.machine
    ? ` on ${m.machine.cores} cores (${m.machine.cpu}), candidate runtime \`${m.machine.candidateRuntime}\`, ${m.machine.date}, git ${m.machine.commit.slice(0, 10)}`
    : '';
  const lines = [ENUMERATION_TIMING_HEADING, ''];
  lines.push(
    `\`${TIMING_CHECK}\` of ${TIMING_CHALLENGE} (docs/auth-service.md, "The timing check"), measured by ` +
      '`npm run bench -- --only enumeration-timing [--iterations N]`: each solution graded N times running ' +
      `only that check, each grading with its own random grader seed, the two solutions alternating${where}. ` +
      `Load average at the start (1, 5, 15 min): ${m.loadAtStart.join(', ')}; the machine was shared with other ` +
      'gradings throughout.',
    '',
    '| solution | check must | gradings | check failed | rate |',
    '|---|---|---:|---:|---|',
  );
  for (const s of m.solutions) {
    const rate = s.mustFail
      ? `detection ${s.failed}/${s.runs.length}`
      : `false positives ${s.failed}/${s.runs.length}`;
    lines.push(
      `| \`${s.name}\` | ${s.mustFail ? 'fail' : 'pass'} | ${s.runs.length} | ${s.failed} | ${rate} |`,
    );
  }
  for (const s of m.solutions) {
    lines.push(
      '',
      `\`${s.name}\`, per grading: medians of the unknown-e-mail and wrong-password logins (ms), their ratio, ` +
        'the Mann–Whitney z and two-sided p, the 1-minute load average at its end.',
      '',
      '| # | seed | verdict | unknown ms | wrong pw ms | ratio | z | p | load |',
      '|---:|---:|---|---:|---:|---:|---:|---:|---:|',
    );
    s.runs.forEach((r, i) =>
      lines.push(
        `| ${i + 1} | ${r.seed} | ${r.status} | ${fmt(r.unknownMs, (v) => v.toFixed(1))} | ` +
          `${fmt(r.knownMs, (v) => v.toFixed(1))} | ${fmt(r.ratio, (v) => v.toFixed(3))} | ` +
          `${fmt(r.z, (v) => v.toFixed(2))} | ${fmt(r.p, (v) => v.toExponential(1))} | ${r.load} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
