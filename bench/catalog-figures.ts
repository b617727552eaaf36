import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { packDirectory } from '../runner/archive';
import type { GradingEnvironment } from '../runner/grading/grading-environment';
import { buildImage, withContext } from '../runner/images/build-image';
import type { Logger } from '../runner/lib/logger';
import { BenchStack } from './bench-stack';
import { measureEndToEnd } from './end-to-end';
import { machineInfo, type MachineInfo } from './machine-info';
import { measurePodReady, measureWarmPodReady, prepareBenchReference } from './pod-ready';
import { summarize, type Summary } from './stats';

/** The MongoDB + Redis challenge this measurement is about. */
export const CATALOG_CHALLENGE = 'catalog-search';
/** Heading of its BENCHMARKS.md section. */
export const CATALOG_HEADING = '## catalog-search (MongoDB + Redis)';

/** One collection of the seeded store, as PostgreSQL holds it under FerretDB. */
export interface SeedCollection {
  name: string;
  documents: number;
  /** pg_total_relation_size of its table (heap, TOAST and indexes), bytes. */
  bytes: number;
}

/** Result of `npm run bench -- --only catalog`. */
export interface CatalogFigures {
  machine: MachineInfo;
  iterations: number;
  seed: SeedCollection[];
  /** The seeded `docs` image: its size and the size of the MongoDB engine image it is built on, bytes. */
  image: { bytes: number; engineBytes: number };
  /** One build of the `docs` image with the engine's layer cache off (seed included), ms. */
  buildMs: number;
  /** Pod ready without (cold) and with (warm) the warm pool, ms (bench/pod-ready.ts). */
  podReadyColdMs: Summary;
  podReadyWarmMs: Summary;
  /** Reference submitted through the API until its report is stored, warm pool (bench/end-to-end.ts), ms. */
  e2eMs: Summary;
  testsMs: Summary;
  score: number;
}

/** Docker labels of the containers and images this measurement creates (to find and remove them). */
const LABEL = { 'io.stackgrade.bench': 'catalog' };

/** SQL run in the seeded image: every collection of `shop` with its document count and table size. */
const SEED_SQL = `SELECT m._jsonb->>'_id',
  (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM shop.%I', m._jsonb->>'table'), false, true, '')))[1]::text,
  pg_total_relation_size(format('shop.%I', m._jsonb->>'table')::regclass)
FROM shop._ferretdb_database_metadata m ORDER BY 1`;

/**
 * Counts the seed in the image's own store: starts PostgreSQL in a throw-away container of `image` (no
 * FerretDB, no network) and reads FerretDB's metadata table for the collections of `shop`. Throws when the
 * container fails.
 */
async function seedOf(env: GradingEnvironment, image: string): Promise<SeedCollection[]> {
  const name = `sg-bench-catalog-seed-${randomBytes(3).toString('hex')}`;
  const script =
    'pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=" start >/dev/null && ' +
    `psql -At -P pager=off -F '|' -U stackgrade_admin -d ferretdb -c "${SEED_SQL.replace(/\n/g, ' ')}"`;
  const container = await env.ctx.docker.createContainer({
    name,
    Image: image,
    Cmd: ['bash', '-c', script],
    Labels: LABEL,
    Tty: true, // raw output, no stream headers
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    if (StatusCode !== 0) throw new Error(`seed count failed (${StatusCode}): ${logs.slice(-500)}`);
    return logs
      .split(/\r?\n/)
      .map((l) => l.trim().split('|'))
      .filter((f) => f.length === 3 && /^\d+$/.test(f[1]!))
      .map(([n, docs, bytes]) => ({ name: n!, documents: Number(docs), bytes: Number(bytes) }));
  } finally {
    await container.remove({ force: true });
  }
}

/** Builds the challenge's `docs` image once without the layer cache under a bench repository; ms. */
async function timeDocsBuild(env: GradingEnvironment, log: Logger): Promise<number> {
  const challenge = env.challenge(CATALOG_CHALLENGE);
  const svc = challenge.manifest.services.find((s) => s.kind === 'mongodb');
  if (!svc?.image) throw new Error(`${CATALOG_CHALLENGE} has no MongoDB image recipe`);
  const buildArgs = { BASE_IMAGE: env.images.engines.mongodb, DB_NAME: svc.database ?? 'shop' };
  const t0 = Date.now();
  const tag = await withContext(path.join(challenge.dir, svc.image), {}, (context) =>
    buildImage(
      env.ctx.docker,
      {
        repository: 'stackgrade/bench-catalog-docs',
        context,
        buildArgs,
        hashInputs: [randomBytes(8).toString('hex')],
        noCache: true,
      },
      log,
    ),
  );
  const ms = Date.now() - t0;
  await env.ctx.docker.getImage(tag).remove({ force: true });
  return ms;
}

/**
 * The catalog-search figures: seed (documents and bytes per collection, read from the image's store), the
 * `docs` image size and one uncached build of it, pod ready cold and warm (`iterations` each), and
 * `iterations` end-to-end gradings of the reference through the real API and runner with a warm pool.
 * Throws when a grading ends in error.
 */
export async function measureCatalog(
  env: GradingEnvironment,
  repo: string,
  iterations: number,
  log: Logger,
  progress: (msg: string) => void,
): Promise<CatalogFigures> {
  const machine = await machineInfo(env.ctx.docker, env.ctx.runtime, repo);
  const images = env.images.challenges.get(CATALOG_CHALLENGE);
  const docsTag = images?.services.docs;
  if (!docsTag) throw new Error(`no docs image for ${CATALOG_CHALLENGE}`);
  progress('catalog: seed and image size');
  const seed = await seedOf(env, docsTag);
  const size = async (ref: string): Promise<number> => (await env.ctx.docker.getImage(ref).inspect()).Size;
  const image = { bytes: await size(docsTag), engineBytes: await size(env.images.engines.mongodb) };
  progress('catalog: uncached build of the docs image');
  const buildMs = await timeDocsBuild(env, log);
  progress(`catalog: seed ${JSON.stringify(seed)}, image ${JSON.stringify(image)}, build ${buildMs} ms`);

  const reference = await prepareBenchReference(env, CATALOG_CHALLENGE);
  const worker = `bench-catalog-${randomBytes(3).toString('hex')}`;
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < iterations; i++) {
    progress(`catalog: pod ready ${i + 1}/${iterations}`);
    cold.push(await measurePodReady(env, CATALOG_CHALLENGE, reference, worker));
    warm.push(await measureWarmPodReady(env, CATALOG_CHALLENGE, reference, worker));
    progress(`catalog: pod ready cold ${cold[i]} ms, warm ${warm[i]} ms`);
  }

  const archive = await packDirectory(env.challenge(CATALOG_CHALLENGE).referenceDir);
  const stack = await BenchStack.create(repo);
  const e2e: number[] = [];
  const tests: number[] = [];
  let score = 0;
  try {
    await stack.startApi();
    await stack.startRunner(1, { waitWarmPods: { challenge: CATALOG_CHALLENGE, count: 1 } });
    for (let i = 0; i < iterations; i++) {
      progress(`catalog: end-to-end grading ${i + 1}/${iterations}`);
      const s = await measureEndToEnd(stack, CATALOG_CHALLENGE, archive);
      e2e.push(s.e2eMs);
      tests.push(s.testsMs);
      score = s.score;
    }
    await stack.stopRunner();
    await stack.stopApi();
  } finally {
    await stack.close();
  }
  return {
    machine,
    iterations,
    seed,
    image,
    buildMs,
    podReadyColdMs: summarize(cold),
    podReadyWarmMs: summarize(warm),
    e2eMs: summarize(e2e),
    testsMs: summarize(tests),
    score,
  };
}

const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);
const s = (ms: number): string => (ms / 1000).toFixed(1);

/** The BENCHMARKS.md section of the catalog figures (Markdown, starting with its `##` heading). */
export function renderCatalogSection(r: CatalogFigures): string {
  const m = r.machine;
  const docs = r.seed.reduce((a, c) => a + c.documents, 0);
  const bytes = r.seed.reduce((a, c) => a + c.bytes, 0);
  const row = (name: string, x: Summary, f = (v: number) => `${Math.round(v)}`): string =>
    `| ${name} | ${f(x.median)} | ${f(x.p95)} | ${x.runs} |`;
  return [
    CATALOG_HEADING,
    '',
    `Measured ${m.date} at commit ${m.commit} on ${m.cpu}, ${m.cores} cores, ${m.memoryMb} MB, ${m.kernel},`,
    `Docker ${m.docker}, candidate runtime ${m.candidateRuntime}; Node ${m.node}. The machine was shared with`,
    'other work while measuring, so the figures are upper bounds. `npm run bench -- --only catalog`',
    '(bench/catalog-figures.ts).',
    '',
    `Seed, counted in the image's own store (FerretDB's tables in PostgreSQL): ${docs.toLocaleString('en')} documents,`,
    `${mb(bytes)} MB of tables (heap, TOAST and indexes).`,
    '',
    '| collection | documents | MB |',
    '| ---------- | --------- | -- |',
    ...r.seed.map((c) => `| ${c.name} | ${c.documents.toLocaleString('en')} | ${mb(c.bytes)} |`),
    '',
    `Image \`docs\`: ${mb(r.image.bytes)} MB (the MongoDB engine image it is built on: ${mb(r.image.engineBytes)} MB);`,
    `one build without the layer cache, seed included: ${s(r.buildMs)} s.`,
    '',
    '| figure | median | p95 | runs |',
    '| ------ | ------ | --- | ---- |',
    row('pod ready, cold (ms)', r.podReadyColdMs),
    row('pod ready, warm pool (ms)', r.podReadyWarmMs),
    row('end-to-end grading of the reference, warm pool (s)', r.e2eMs, s),
    row('of which hidden tests (s)', r.testsMs, s),
    '',
    `Pod ready: from the first container's creation until the reference answers its health endpoint next to`,
    'its seeded MongoDB and Redis (cold), or the take of a pod from a pool of one (warm). End-to-end: from',
    `POST /v1/submissions until the report is stored, through the real API and runner; the reference scored ${r.score}.`,
    '',
  ].join('\n');
}
