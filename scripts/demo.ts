/**
 * `npm run demo`: the main job end to end on this machine. Starts the platform (API and runner, against the
 * Redis and MongoDB-compatible store that scripts/setup-host.sh started), submits the reference solution and
 * the starter of `orders-api` through the HTTP API, follows each to completion and prints both reports.
 * Exits 0 only if the reference scores 100 and the starter scores below the challenge's starter bound.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { formatReport } from '../runner/cli/format-report';
import type { GradeReport } from '../runner/contract/grade-result.schema';

const ROOT = path.resolve(__dirname, '..');
const API_PORT = Number(process.env.DEMO_API_PORT ?? 18080);
const API = `http://127.0.0.1:${API_PORT}`;
const env = {
  ...process.env,
  API_PORT: String(API_PORT),
  API_HOST: '127.0.0.1',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  MONGODB_URI: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017',
  MONGODB_DB: process.env.MONGODB_DB ?? 'stackgrade',
  RUNNER_CONCURRENCY: process.env.RUNNER_CONCURRENCY ?? '2',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};

function start(name: string, script: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, sig) => {
    if (!stopping) console.error(`[demo] ${name} exited (${code ?? sig})`);
  });
  return child;
}

let stopping = false;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function readFiles(dir: string, rel = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, await readFiles(dir, r));
    else if (e.isFile()) out[r] = await fs.readFile(path.join(dir, r), 'utf8');
  }
  return out;
}

async function submit(label: string, dir: string): Promise<string> {
  const res = await fetch(`${API}/v1/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ challenge_id: 'orders-api', files: await readFiles(dir) }),
  });
  if (res.status !== 202) throw new Error(`submitting ${label}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string };
  console.log(`[demo] submitted ${label}: ${res.headers.get('location')}`);
  return body.id;
}

async function follow(id: string): Promise<{ status: string; report: GradeReport | null; error: unknown }> {
  let last = '';
  for (;;) {
    const r = (await (await fetch(`${API}/v1/submissions/${id}`)).json()) as {
      status: string;
      report: GradeReport | null;
      error: unknown;
    };
    if (r.status !== last) console.log(`[demo] ${id}: ${r.status}`);
    last = r.status;
    if (r.status === 'completed' || r.status === 'error') return r;
    await sleep(500);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const api = start('api', 'api/main.ts');
  const runner = start('runner', 'runner/main.ts');
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${API}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 600) throw new Error('the API did not start');
      await sleep(100);
    }
    const challenge = (await (await fetch(`${API}/v1/challenges/orders-api`)).json()) as {
      title: string;
      checks: unknown[];
    };
    console.log(`[demo] challenge orders-api: ${challenge.title}, ${challenge.checks.length} hidden checks`);
    const ref = await submit('the reference solution', path.join(ROOT, 'challenges/orders-api/reference'));
    const starter = await submit('the starter', path.join(ROOT, 'challenges/orders-api/starter'));
    const [r1, r2] = await Promise.all([follow(ref), follow(starter)]);
    let ok = true;
    for (const [label, r, check] of [
      ['reference', r1, (x: GradeReport) => x.scores.overall === 100],
      ['starter', r2, (x: GradeReport) => x.scores.overall < 40],
    ] as const) {
      if (!r.report) {
        console.log(`\n${label}: ${r.status} ${JSON.stringify(r.error)}`);
        ok = false;
        continue;
      }
      console.log(`\n${formatReport(r.report, `orders-api ${label}`)}`);
      ok &&= check(r.report);
    }
    console.log(
      `\n[demo] ${ok ? 'OK' : 'FAILED'}: reference must score 100, starter below 40 (${Math.round((Date.now() - started) / 1000)} s)`,
    );
    return ok ? 0 : 1;
  } finally {
    stopping = true;
    api.kill('SIGTERM');
    runner.kill('SIGTERM');
    await sleep(1500);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('[demo] failed:', err);
    process.exit(1);
  },
);
