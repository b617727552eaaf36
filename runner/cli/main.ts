#!/usr/bin/env node
/**
 * `stackgrade` command line:
 *   images build                                   build every sandbox image that is missing or changed
 *   images compose                                 build the images of docker-compose.yml (platform, FerretDB,
 *                                                  Redis) and print their tags as NAME=value lines
 *   grade <challenge-dir> <solution-dir> [--format text|json|junit] [--json] [--runtime r] [--seed n]
 *                                                  grade a solution folder through the runner (no API, no
 *                                                  queue); its runtime detected unless named; the report is
 *                                                  signed; --seed fixes the grader seed (to regrade a report)
 *   report verify <report.json> [--public-key f] [--challenges d] [--json]
 *                                                  check a report's signature and what regrading it needs
 *   practice <challenge-dir> <solution-dir> [--json] [--runtime r]
 *                                                  run only the practice checks (same pod and images), unscored
 *   challenge validate <challenge-dir>             grade reference, starter and wrong/* and check their verdicts
 *   challenge new <id> --runtime r --service s [--dir d]
 *                                                  scaffold a complete package under d (default challenges/)
 *   challenge lint <challenge-dir> [--json]        static checks of a package (no Docker); exit 1 on an error
 *   challenge mutate <challenge-dir> [--kind k,..] [--json]
 *                                                  grade built-in mutants of the reference; exit 1 if one survives
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { loadRunnerConfig } from '../config';
import { lintChallenge } from '../authoring/lint-challenge';
import { newChallenge, SCAFFOLDS } from '../authoring/new-challenge';
import { isAppError } from '../contract/app-error';
import { ChallengeCatalog, DEFAULT_CHALLENGES_DIR } from '../contract/challenge-catalog';
import { RUNTIME_IDS, runtimeIdSchema } from '../contract/runtime-selection';
import { composeImageEnv, ensureComposeImages } from '../images/compose-images';
import { ensureImages } from '../images/image-set';
import { logger } from '../lib/logger';
import { createDocker } from '../sandbox/docker';
import { GradingEnvironment } from '../grading/grading-environment';
import {
  formatCategoryTable,
  readChallengeSolution,
  solutionsOf,
  validateSolution,
  type SolutionValidation,
} from '../grading/validate-challenge';
import { mutateChallenge } from '../mutation/mutate-challenge';
import { MUTANT_KINDS, type MutantKind } from '../mutation/mutant';
import { formatMutationReport } from './format-mutation-report';
import { formatReport } from './format-report';
import { reportToJunit } from '../contract/junit-report';
import { reportVerify } from './report-verify';

/** Output formats of `grade` and `practice`. */
const FORMATS = ['text', 'json', 'junit'] as const;

/**
 * Splits arguments into positionals and `--name value` options (`flags` take no value). Unknown options
 * are kept as options; the caller decides.
 */
function parseArgs(
  args: readonly string[],
  flags: readonly string[],
): { positional: string[]; opts: Map<string, string> } {
  const positional: string[] = [];
  const opts = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) positional.push(a);
    else if (flags.includes(a)) opts.set(a, 'true');
    else opts.set(a, args[++i] ?? '');
  }
  return { positional, opts };
}

const USAGE = `usage:
  stackgrade images build
  stackgrade images compose
  stackgrade grade <challenge-dir> <solution-dir> [--format text|json|junit] [--runtime node22|python3|go] [--seed n]
  stackgrade report verify <report.json> [--public-key <pem-or-signing-key.json>] [--challenges <dir>] [--json]
  stackgrade practice <challenge-dir> <solution-dir> [--json] [--runtime node22|python3|go]
  stackgrade challenge validate <challenge-dir>
  stackgrade challenge lint <challenge-dir> [--json]
  stackgrade challenge new <id> --runtime ${Object.keys(SCAFFOLDS).join('|')} --service ${[...new Set(Object.values(SCAFFOLDS).flat())].join('|')} [--dir <parent>]
  stackgrade challenge mutate <challenge-dir> [--kind ${MUTANT_KINDS.join(',')}] [--json]`;

async function environmentFor(challengeDir: string): Promise<{ env: GradingEnvironment; id: string }> {
  const abs = path.resolve(challengeDir);
  const config = loadRunnerConfig({ ...process.env, CHALLENGES_DIR: path.dirname(abs) });
  return { env: await GradingEnvironment.create(config, logger), id: path.basename(abs) };
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'images' && rest[0] === 'build') {
    const catalog = await ChallengeCatalog.load(process.env.CHALLENGES_DIR);
    const set = await ensureImages(
      createDocker(),
      catalog.list().map((c) => catalog.get(c.id)!),
      logger,
    );
    console.log(
      JSON.stringify(
        { runtimes: set.runtimes, engines: set.engines, challenges: Object.fromEntries(set.challenges) },
        null,
        2,
      ),
    );
    return 0;
  }
  if (cmd === 'images' && rest[0] === 'compose') {
    const images = await ensureComposeImages(createDocker(), logger, (line) =>
      process.stderr.write(`[compose-images] ${line}\n`),
    );
    for (const [k, v] of Object.entries(composeImageEnv(images))) console.log(`${k}=${v}`);
    return 0;
  }
  if ((cmd === 'grade' || cmd === 'practice') && rest.length >= 2) {
    const { positional, opts } = parseArgs(rest, ['--json']);
    const named = opts.has('--runtime') ? runtimeIdSchema.safeParse(opts.get('--runtime')) : null;
    if (named && !named.success) {
      console.error(`--runtime must be one of ${RUNTIME_IDS.join(', ')}\n${USAGE}`);
      return 64;
    }
    const format = opts.has('--json') ? 'json' : (opts.get('--format') ?? 'text');
    if (!(FORMATS as readonly string[]).includes(format)) {
      console.error(`--format must be one of ${FORMATS.join(', ')}\n${USAGE}`);
      return 64;
    }
    const seed = opts.has('--seed') ? Number(opts.get('--seed')) : undefined;
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 1 && seed < 2 ** 31)) {
      console.error(`--seed must be an integer in [1, 2^31)\n${USAGE}`);
      return 64;
    }
    const [challengeDir, solutionDir] = positional as [string, string];
    const { env, id } = await environmentFor(challengeDir);
    const report = await env
      .grade(id, {
        files: await readChallengeSolution(env.challenge(id).dir, path.resolve(solutionDir)),
        ...(named?.success ? { runtime: named.data } : {}),
        ...(seed !== undefined ? { graderSeed: seed } : {}),
        submissionId: crypto.randomUUID(),
        attempt: 1,
        mode: cmd === 'practice' ? 'practice' : 'graded',
      })
      .finally(() => env.close());
    console.log(
      format === 'json'
        ? JSON.stringify(report, null, 2)
        : format === 'junit'
          ? reportToJunit(report)
          : formatReport(report, `${id} ← ${solutionDir}`),
    );
    return report.status === 'error' ? 2 : 0;
  }
  if (cmd === 'report' && rest[0] === 'verify' && rest[1]) {
    const { positional, opts } = parseArgs(rest.slice(1), ['--json']);
    return reportVerify({
      file: positional[0]!,
      ...(opts.has('--public-key') ? { publicKeyFile: opts.get('--public-key')! } : {}),
      ...(opts.has('--challenges') ? { challengesDir: opts.get('--challenges')! } : {}),
      json: opts.has('--json'),
    });
  }
  if (cmd === 'challenge' && rest[0] === 'validate' && rest[1]) {
    const { env, id } = await environmentFor(rest[1]);
    let ok = true;
    const rows: SolutionValidation[] = [];
    try {
      for (const s of await solutionsOf(env.challenge(id).dir)) {
        const v = await validateSolution(env, id, s);
        rows.push(v);
        ok &&= v.ok;
        console.log(formatReport(v.report, `${id} ${s.name}`));
        console.log(v.ok ? `  ✓ ${s.name}: as expected\n` : `  ✗ ${s.name}: ${v.problems.join('; ')}\n`);
      }
    } finally {
      await env.close();
    }
    console.log(`Categories each solution lost points in (* = lost points):\n${formatCategoryTable(rows)}\n`);
    console.log(ok ? `${id}: every solution got its expected verdict` : `${id}: validation FAILED`);
    return ok ? 0 : 1;
  }
  if (cmd === 'challenge' && rest[0] === 'new' && rest[1]) {
    const opt = (name: string, dflt: string): string =>
      rest.includes(name) ? (rest[rest.indexOf(name) + 1] ?? '') : dflt;
    const dir = await newChallenge({
      id: rest[1],
      parentDir: opt('--dir', DEFAULT_CHALLENGES_DIR),
      runtime: opt('--runtime', 'node22'),
      service: opt('--service', 'postgres'),
    });
    console.log(`created ${path.relative(process.cwd(), dir) || dir}`);
    console.log(`next: npx stackgrade challenge lint ${path.relative(process.cwd(), dir)}`);
    return 0;
  }
  if (cmd === 'challenge' && rest[0] === 'lint' && rest[1]) {
    const findings = await lintChallenge(rest[1]);
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (rest.includes('--json')) console.log(JSON.stringify(findings, null, 2));
    else {
      for (const f of findings)
        console.log(`${f.severity.padEnd(7)} ${f.rule.padEnd(22)} ${f.where}: ${f.message}`);
      console.log(
        `${rest[1]}: ${errors} error(s), ${findings.length - errors} warning(s)${errors ? '' : ' — lint passed'}`,
      );
    }
    return errors ? 1 : 0;
  }
  if (cmd === 'challenge' && rest[0] === 'mutate' && rest[1]) {
    const json = rest.includes('--json');
    const kindArg = rest[rest.indexOf('--kind') + 1];
    const kinds = rest.includes('--kind') ? (kindArg ?? '').split(',') : undefined;
    const unknown = kinds?.filter((k) => !(MUTANT_KINDS as readonly string[]).includes(k)) ?? [];
    if (unknown.length) {
      console.error(`unknown mutant kind ${unknown.join(', ')}\n${USAGE}`);
      return 64;
    }
    const { env, id } = await environmentFor(rest[1]);
    const report = await mutateChallenge(env, id, {
      kinds: kinds as MutantKind[] | undefined,
      onResult: (r, i, n) => {
        if (!json) console.log(`[${i + 1}/${n}] ${r.outcome.padEnd(8)} ${r.id}`);
      },
    }).finally(() => env.close());
    console.log(json ? JSON.stringify(report, null, 2) : formatMutationReport(report));
    return report.mutants.every((m) => m.outcome === 'caught') ? 0 : 1;
  }
  console.error(USAGE);
  return 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(isAppError(err) ? `${err.code}: ${err.message}` : err);
    process.exit(isAppError(err) && err.code === 'CONFIG_INVALID' ? 64 : 1);
  },
);
