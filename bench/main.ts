/**
 * `npm run bench`: measures Stackgrade on this machine (issue 5) and writes BENCHMARKS.md; `--json` prints
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

const NOTES_HEADING = '## Notes';

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), path.join(REPO_ROOT, 'BENCHMARKS.md'));
  const progress = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`);
  const quiet = logger.child({}, { level: 'warn' });
  progress('preparing the grading environment (images)');
  const env = await GradingEnvironment.create(
    loadRunnerConfig({ ...process.env, WORKER_ID: 'bench' }),
    quiet,
  );
  const result = await runBenchmark(env, REPO_ROOT, o, quiet, progress).finally(() => env.close());
  if (o.out) {
    const old = await fs.readFile(o.out, 'utf8').catch(() => '');
    const i = old.indexOf(`\n${NOTES_HEADING}\n`);
    await fs.writeFile(o.out, renderMarkdown(result, i >= 0 ? old.slice(i + 1) : ''));
    progress(`wrote ${o.out}`);
  }
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
