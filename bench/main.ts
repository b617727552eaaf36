/**
 * `npm run bench`: measures Stackgrade on this machine and writes BENCHMARKS.md; `--json` prints
 * the figures as one JSON object on stdout (progress goes to stderr). See bench/options.ts for the flags.
 * The notes kept at the end of BENCHMARKS.md (from the line `## Notes` on) survive a rewrite.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadRunnerConfig } from '../runner/config';
import { GradingEnvironment } from '../runner/grading/grading-environment';
import { logger } from '../runner/lib/logger';
import { REPO_ROOT } from '../runner/lib/paths';
import { parseOptions } from './options';
import { renderMarkdown } from './report-markdown';
import { runBenchmark } from './run-benchmark';
import { BENCH_CHALLENGE } from './run-benchmark';
import {
  ENUMERATION_TIMING_HEADING,
  measureEnumerationTiming,
  renderEnumerationTimingSection,
} from './enumeration-timing';
import { CATALOG_HEADING, measureCatalog, renderCatalogSection } from './catalog-figures';
import { measureRuntimes, renderRuntimesSection } from './runtime-start';
import { measureCheckDurations, renderSlowestChecksSection, SLOWEST_CHECKS_HEADING } from './slowest-checks';

const NOTES_HEADING = '## Notes';
const RUNTIMES_HEADING = '## Per candidate runtime';
/** Where attack-lab, the challenge of the per-runtime measurement, lives. */
const RUNTIMES_CHALLENGES_DIR = path.join(REPO_ROOT, 'test', 'attacks', 'challenge');

/** The section of `report` under `heading` up to the next `## ` heading, or null. */
function sectionOf(report: string, heading: string): string | null {
  const start = report.indexOf(`\n${heading}\n`);
  if (start < 0) return null;
  const next = report.indexOf('\n## ', start + 1);
  return report.slice(start + 1, next >= 0 ? next + 1 : undefined);
}

/** `report` with its section under `heading` replaced by `section` (or inserted before the notes, or appended). */
function withSection(report: string, heading: string, section: string): string {
  const start = report.indexOf(`\n${heading}\n`);
  if (start >= 0) {
    const next = report.indexOf('\n## ', start + 1);
    return report.slice(0, start + 1) + section + (next >= 0 ? report.slice(next + 1) : '');
  }
  const notes = report.indexOf(`\n${NOTES_HEADING}\n`);
  if (notes >= 0) return `${report.slice(0, notes + 1)}${section}\n${report.slice(notes + 1)}`;
  return `${report.trimEnd()}\n\n${section}`;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), path.join(REPO_ROOT, 'BENCHMARKS.md'));
  const progress = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`);
  const quiet = logger.child({}, { level: 'warn' });
  progress('preparing the grading environment (images)');
  let result: object | null = null;
  if (o.only === null) {
    const env = await GradingEnvironment.create(
      loadRunnerConfig({ ...process.env, WORKER_ID: 'bench' }),
      quiet,
    );
    const full = await runBenchmark(env, REPO_ROOT, o, quiet, progress).finally(() => env.close());
    result = full;
    if (o.out) {
      const old = await fs.readFile(o.out, 'utf8').catch(() => '');
      const i = old.indexOf(`\n${NOTES_HEADING}\n`);
      const fresh = renderMarkdown(full, i >= 0 ? old.slice(i + 1) : '');
      const kept = sectionOf(old, RUNTIMES_HEADING); // replaced below unless --quick skips the measurement
      const withChecks = withSection(
        fresh,
        SLOWEST_CHECKS_HEADING,
        renderSlowestChecksSection(full.checkDurations),
      );
      await fs.writeFile(o.out, kept ? withSection(withChecks, RUNTIMES_HEADING, kept) : withChecks);
    }
  }
  // Per-check durations alone: gradings of the reference through the runner, no API.
  if (o.only === 'checks') {
    const env = await GradingEnvironment.create(
      loadRunnerConfig({ ...process.env, WORKER_ID: 'bench' }),
      quiet,
    );
    const checks = await measureCheckDurations(
      env,
      REPO_ROOT,
      BENCH_CHALLENGE,
      o.iterations,
      progress,
    ).finally(() => env.close());
    result = checks;
    if (o.out) {
      const old = await fs.readFile(o.out, 'utf8').catch(() => '');
      await fs.writeFile(o.out, withSection(old, SLOWEST_CHECKS_HEADING, renderSlowestChecksSection(checks)));
    }
  }
  // The timing-enumeration check's false positives and detections: gradings of auth-service, one check each.
  if (o.only === 'enumeration-timing') {
    const env = await GradingEnvironment.create(
      loadRunnerConfig({ ...process.env, WORKER_ID: 'bench' }),
      quiet,
    );
    const timing = await measureEnumerationTiming(env, REPO_ROOT, o.iterations, progress).finally(() =>
      env.close(),
    );
    result = timing;
    if (o.out) {
      const old = await fs.readFile(o.out, 'utf8').catch(() => '');
      await fs.writeFile(
        o.out,
        withSection(old, ENUMERATION_TIMING_HEADING, renderEnumerationTimingSection(timing)),
      );
    }
  }
  // The MongoDB + Redis challenge: seed, image, pod start and end-to-end (--only catalog).
  if (o.only === 'catalog') {
    const env = await GradingEnvironment.create(
      loadRunnerConfig({ ...process.env, WORKER_ID: 'bench' }),
      quiet,
    );
    const catalog = await measureCatalog(env, REPO_ROOT, o.iterations, quiet, progress).finally(() =>
      env.close(),
    );
    result = catalog;
    if (o.out) {
      const old = await fs.readFile(o.out, 'utf8').catch(() => '');
      await fs.writeFile(o.out, withSection(old, CATALOG_HEADING, renderCatalogSection(catalog)));
    }
  }
  // Per candidate runtime: with --only runtimes, or as part of the whole benchmark (not of --quick).
  if (o.only === 'runtimes' || (o.only === null && !o.quick)) {
    const lab = await GradingEnvironment.create(
      loadRunnerConfig({ ...process.env, WORKER_ID: 'bench', CHALLENGES_DIR: RUNTIMES_CHALLENGES_DIR }),
      quiet,
    );
    const runtimes = await measureRuntimes(lab, REPO_ROOT, o.iterations, progress).finally(() => lab.close());
    result = result ? { ...result, runtimes } : runtimes;
    if (o.out) {
      const old = await fs.readFile(o.out, 'utf8').catch(() => '');
      await fs.writeFile(o.out, withSection(old, RUNTIMES_HEADING, renderRuntimesSection(runtimes)));
    }
  }
  if (o.out) progress(`wrote ${o.out}`);
  if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
