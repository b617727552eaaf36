/**
 * `npm run demo`: the main job end to end on this machine, as a company runs it. Starts the platform (API and
 * runner, against the Redis and MongoDB-compatible store that scripts/setup-host.sh started), issues an API key
 * to `orders-api`'s organisation, registers a webhook with a local receiver, creates an assessment, invites two
 * candidates who start it and submit (one the reference solution, one the starter) through the HTTP API,
 * follows each to completion, prints both reports, the signed webhooks received and the results list.
 * Exits 0 only if the reference scores 100, the starter scores below the challenge's starter bound and every
 * `submission.completed` webhook arrived verified. The key is revoked at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { parse as parseYaml } from 'yaml';
import { MongoApiKeyStore } from '../api/data-access/api-key-store';
import { issueApiKey } from '../api/domain/issue-api-key';
import { formatReport } from '../runner/cli/format-report';
import type { GradeReport } from '../runner/contract/grade-result.schema';
import { startDemoReceiver } from './demo-webhook-receiver';

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

/** Sends a JSON request to the API; throws unless it answers `expect`. */
async function call<T>(
  method: string,
  url: string,
  expect: number,
  token?: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${API}${url}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status !== expect) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function follow(
  id: string,
  key: string,
): Promise<{ status: string; report: GradeReport | null; error: unknown }> {
  let last = '';
  for (;;) {
    const r = await call<{ status: string; report: GradeReport | null; error: unknown }>(
      'GET',
      `/v1/submissions/${id}?view=owner`,
      200,
      key,
    );
    if (r.status !== last) console.log(`[demo] ${id}: ${r.status}`);
    last = r.status;
    if (r.status === 'completed' || r.status === 'error') return r;
    await sleep(1000);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const api = start('api', 'api/main.ts');
  const runner = start('runner', 'runner/main.ts');
  const mongo = new MongoClient(env.MONGODB_URI, { serverSelectionTimeoutMS: 5_000 });
  const keys = new MongoApiKeyStore(mongo.db(env.MONGODB_DB));
  const receiver = await startDemoReceiver();
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
    const manifest = parseYaml(
      await fs.readFile(path.join(ROOT, 'challenges/orders-api/challenge.yaml'), 'utf8'),
    ) as { owner: string };
    console.log(`[demo] challenge orders-api: ${challenge.title}, ${challenge.checks.length} hidden checks`);
    const key = await issueApiKey(keys, manifest.owner, 'npm run demo');
    console.log(`[demo] API key ${key.id} issued to organisation ${manifest.owner}`);
    const hook = await call<{ id: string; secret: string }>('POST', '/v1/webhooks', 201, key.token, {
      url: receiver.url,
      events: ['submission.completed', 'assessment.completed'],
    });
    receiver.setSecret(hook.secret);
    console.log(`[demo] webhook ${hook.id} → ${receiver.url} (Standard Webhooks signatures)`);
    const assessment = await call<{ id: string }>('POST', '/v1/assessments', 201, key.token, {
      title: 'Demo: backend hire',
      challenge_ids: ['orders-api'],
      time_limit_ms: 3_600_000,
      max_attempts: 1,
    });
    const invited = await call<{ data: { token: string; link: string }[] }>(
      'POST',
      `/v1/assessments/${assessment.id}/invites`,
      201,
      key.token,
      {
        candidates: [
          { email: 'ada@example.com', name: 'Ada' },
          { email: 'bob@example.com', name: 'Bob' },
        ],
      },
    );
    console.log(`[demo] assessment ${assessment.id}: 2 invites (${invited.data[0]!.link}, …)`);
    const solutions = [
      ['the reference solution', 'challenges/orders-api/reference'],
      ['the starter', 'challenges/orders-api/starter'],
    ] as const;
    const ids: string[] = [];
    for (const [n, [label, dir]] of solutions.entries()) {
      const session = await call<{ session_token: string }>(
        'POST',
        `/v1/invites/${invited.data[n]!.token}/start`,
        201,
      );
      const sub = await call<{ id: string }>('POST', '/v1/submissions', 202, session.session_token, {
        challenge_id: 'orders-api',
        files: await readFiles(path.join(ROOT, dir)),
      });
      console.log(`[demo] candidate ${n + 1} started the assessment and submitted ${label}: ${sub.id}`);
      ids.push(sub.id);
    }
    const [r1, r2] = await Promise.all(ids.map((id) => follow(id, key.token)));
    let ok = true;
    for (const [label, r, check] of [
      ['reference', r1!, (x: GradeReport) => x.scores.overall === 100],
      ['starter', r2!, (x: GradeReport) => x.scores.overall < 40],
    ] as const) {
      if (!r.report) {
        console.log(`\n${label}: ${r.status} ${JSON.stringify(r.error)}`);
        ok = false;
        continue;
      }
      console.log(`\n${formatReport(r.report, `orders-api ${label}`)}`);
      ok &&= check(r.report);
    }
    for (
      let i = 0;
      i < 60 && receiver.events.filter((e) => e.type === 'submission.completed').length < 2;
      i++
    )
      await sleep(500);
    const completed = receiver.events.filter((e) => e.type === 'submission.completed').length;
    for (const e of receiver.events) console.log(`[demo] webhook received and verified: ${e.type} (${e.id})`);
    ok &&= completed === 2 && receiver.refused === 0;
    const results = await call<{
      data: { candidate: { email: string }; status: string; submissions: { overall: number | null }[] }[];
    }>('GET', `/v1/assessments/${assessment.id}/results`, 200, key.token);
    for (const r of results.data)
      console.log(
        `[demo] result: ${r.candidate.email} ${r.status}, overall ${r.submissions.map((x) => x.overall).join(', ')}`,
      );
    await keys.revokeKey(key.id, new Date());
    console.log(
      `\n[demo] ${ok ? 'OK' : 'FAILED'}: reference must score 100, starter below 40, both webhooks received (${Math.round((Date.now() - started) / 1000)} s)`,
    );
    return ok ? 0 : 1;
  } finally {
    stopping = true;
    await receiver.close();
    await mongo.close();
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
