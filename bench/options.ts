import os from 'node:os';

/** Command-line options of `npm run bench`. */
export interface BenchOptions {
  /**
   * Repetitions of each repeated figure (`--iterations N`; default 5, 1 with `--quick`, 20 with `--only
   * enumeration-timing`).
   */
  iterations: number;
  /** Small, fast run (`--quick`): one end-to-end grading, short load tests, no throughput phase. */
  quick: boolean;
  /** Print the figures as one JSON object on stdout (`--json`). */
  json: boolean;
  /** Queued reference submissions per concurrency level of the throughput phase (`--submissions N`; default 50). */
  submissions: number;
  /** Runner concurrency levels of the throughput phase (`--concurrency 1,2,4`). */
  concurrency: number[];
  /** Seconds of each API load run (`--load-seconds S`; default 10, 2 with `--quick`). */
  loadSeconds: number;
  /**
   * API_WORKERS of the multi-process API measured next to the default one-process API (`--cluster-workers N`;
   * default the machine's cores, os.availableParallelism(), at least 2; 0 skips that measurement).
   */
  clusterWorkers: number;
  /**
   * One measurement only (`--only runtimes`: per candidate runtime, bench/runtime-start.ts; `--only checks`:
   * per-check durations of `--iterations` gradings of the orders-api reference, bench/slowest-checks.ts;
   * `--only enumeration-timing`: false positives and detections of auth-service's timing check,
   * bench/enumeration-timing.ts; `--only catalog`: the catalog-search seed, image, pod start and end-to-end
   * figures, bench/catalog-figures.ts); each replaces its own section of the report and leaves the rest.
   * Null: the whole benchmark (which does not include these two).
   */
  only: 'runtimes' | 'checks' | 'enumeration-timing' | 'catalog' | null;
  /** Where the Markdown report goes (`--out FILE`; default BENCHMARKS.md at the repository root; `-` = none). */
  out: string | null;
}

/** Offered load of the API submit benchmark, requests per second. */
export const OFFERED_RPS = 300;

const USAGE = `usage: npm run bench -- [--quick] [--json] [--iterations N] [--submissions N] [--concurrency 1,2,4]
                        [--load-seconds S] [--cluster-workers N] [--only runtimes|checks|enumeration-timing|catalog] [--out FILE|-]`;

function positiveInt(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer\n${USAGE}`);
  return n;
}

/** Parses `argv` (without node and the script). Throws with the usage text on an unknown or bad option. */
export function parseOptions(argv: readonly string[], defaultOut: string): BenchOptions {
  const quick = argv.includes('--quick');
  const o: BenchOptions = {
    iterations: quick ? 1 : 5,
    quick,
    json: false,
    submissions: quick ? 1 : 50,
    concurrency: [1, 2, 4],
    loadSeconds: quick ? 2 : 10,
    clusterWorkers: Math.max(2, os.availableParallelism()),
    only: null,
    out: defaultOut,
  };
  let iterationsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') continue;
    else if (a === '--json') o.json = true;
    else if (a === '--iterations') {
      o.iterations = positiveInt(a, argv[++i]);
      iterationsGiven = true;
    } else if (a === '--submissions') o.submissions = positiveInt(a, argv[++i]);
    else if (a === '--load-seconds') o.loadSeconds = positiveInt(a, argv[++i]);
    else if (a === '--cluster-workers') {
      const v = argv[++i];
      o.clusterWorkers = v === '0' ? 0 : positiveInt(a, v);
    } else if (a === '--concurrency')
      o.concurrency = (argv[++i] ?? '').split(',').map((x) => positiveInt(a, x));
    else if (a === '--only') {
      const v = argv[++i];
      if (v !== 'runtimes' && v !== 'checks' && v !== 'enumeration-timing' && v !== 'catalog')
        throw new Error(`--only takes runtimes, checks, enumeration-timing or catalog\n${USAGE}`);
      o.only = v;
    } else if (a === '--out') {
      const v = argv[++i];
      if (!v) throw new Error(`--out needs a file\n${USAGE}`);
      o.out = v === '-' ? null : v;
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  // The timing check's rates are stated over 20 gradings per solution (docs/auth-service.md).
  if (o.only === 'enumeration-timing' && !iterationsGiven) o.iterations = 20;
  return o;
}
