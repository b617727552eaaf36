/**
 * docker-compose.yml end to end (project `compose`, not in `npm test`: `npm run test:compose`, which .ci/run
 * calls after it). Builds the images here (runner/images/compose-images.ts), starts the file under a unique
 * project name, so on its own network with its own volumes and nothing published but the API on a free
 * port, grades attack-lab's reference through the HTTP API, then takes the project down and checks that no
 * container, network or volume of it, and no pod of the submission, is left.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { composeImageEnv, ensureComposeImages } from '../../runner/images/compose-images';
import { readSolutionDir } from '../../runner/grading/grade-submission';
import { createDocker, hasRunsc } from '../../runner/sandbox/docker';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');
/** The attack suite's catalog (attack-lab only): mounted as the compose platform's catalog. */
const CATALOG = path.join(REPO, 'test', 'attacks', 'challenge');
const PROJECT = `sgcompose${randomBytes(4).toString('hex')}`;
const docker = createDocker();

/** `docker compose` when the plugin is installed, else Debian's `docker-compose` (scripts/setup-host.sh). */
async function composeCommand(): Promise<string[]> {
  return run('docker', ['compose', 'version']).then(
    () => ['docker', 'compose'],
    () => ['docker-compose'],
  );
}

/** A TCP port nothing listens on now (the kernel's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** fetch on the project's API, given up after 15 s (a request the API never answers fails the step). */
function call(route: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${api}${route}`, { ...init, signal: AbortSignal.timeout(15_000) });
}

let compose: string[];
let env: NodeJS.ProcessEnv;
let api: string;
let down = false;

/** Runs the compose client on this project; resolves its stdout, rejects with its output on failure. */
async function project(...args: string[]): Promise<string> {
  const [cmd, ...pre] = compose;
  const r = await run(cmd!, [...pre, '-p', PROJECT, '-f', path.join(REPO, 'docker-compose.yml'), ...args], {
    env,
    cwd: REPO,
    maxBuffer: 64 * 1024 * 1024,
  });
  return r.stdout;
}

/** The ids Docker lists of one kind of object carrying this project's compose label. */
async function projectObjects(kind: 'container' | 'network' | 'volume'): Promise<string[]> {
  const args = kind === 'container' ? ['ps', '-a', '-q'] : [kind, 'ls', '-q'];
  const { stdout } = await run('docker', [
    ...args,
    '--filter',
    `label=com.docker.compose.project=${PROJECT}`,
  ]);
  return stdout.split('\n').filter(Boolean);
}

beforeAll(async () => {
  const started = Date.now();
  const images = await ensureComposeImages(docker, pino({ level: 'warn' }), (line) =>
    console.log(`[compose-images] ${line}`),
  );
  console.log(`[compose-test] images ready in ${((Date.now() - started) / 1000).toFixed(1)} s`, images);
  compose = await composeCommand();
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  env = {
    ...process.env,
    ...composeImageEnv(images),
    STACKGRADE_API_PORT: String(port),
    STACKGRADE_CHALLENGES_DIR: CATALOG,
    // Its place in the repository's layout: attack-lab's hidden tests import the grader SDK by relative path.
    STACKGRADE_CHALLENGES_MOUNT: path.join('/opt/stackgrade', path.relative(REPO, CATALOG)),
    RUNNER_CONCURRENCY: '1',
    WARM_PODS: '0',
  };
  const up = Date.now();
  await project('up', '-d');
  console.log(
    `[compose-test] ${compose.join(' ')} -p ${PROJECT} up -d: ${((Date.now() - up) / 1000).toFixed(1)} s`,
  );
});

afterAll(async () => {
  if (!down) await project('down', '-v', '--remove-orphans', '--timeout', '60').catch(() => undefined);
});

/** Prints the services' last log lines (when a step failed). */
async function showLogs(): Promise<void> {
  console.error(await project('logs', '--no-color', '--tail', '150').catch((e: unknown) => String(e)));
}

describe('docker compose up', () => {
  it('serves the API with the mounted catalog once the store answers', async () => {
    let healthy = false;
    let last = '';
    for (let i = 0; i < 300 && !healthy; i++) {
      healthy = await call('/healthz').then(
        (r) => r.ok,
        (err: unknown) => ((last = String((err as { cause?: unknown }).cause ?? err)), false),
      );
      if (!healthy) await sleep(1000);
    }
    if (!healthy) console.error(`[compose-test] ${api}/healthz never answered 200: ${last}`);
    if (!healthy) await showLogs();
    expect(healthy).toBe(true);
    const res = await call('/v1/challenges');
    const body = (await res.json()) as { data: { id: string }[] };
    expect(body.data.map((c) => c.id)).toEqual(['attack-lab']);
  });

  let submissionId = '';
  it("grades attack-lab's reference submitted through the HTTP API: pass, 100, under the host's runtime", async () => {
    const files = Object.fromEntries(
      [...(await readSolutionDir(path.join(CATALOG, 'attack-lab', 'reference'))).entries()].map(([k, v]) => [
        k,
        v.toString('utf8'),
      ]),
    );
    const posted = await call('/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ challenge_id: 'attack-lab', files }),
    });
    expect(posted.status).toBe(202);
    submissionId = ((await posted.json()) as { id: string }).id;
    const started = Date.now();
    let sub: {
      status: string;
      report?: { status: string; scores: { overall: number }; sandbox: { runtime: string } };
    };
    for (;;) {
      sub = (await (await call(`/v1/submissions/${submissionId}`)).json()) as typeof sub;
      if (sub.status === 'completed' || sub.status === 'error' || Date.now() - started > 480_000) break;
      await sleep(1000);
    }
    console.log(
      `[compose-test] submission ${submissionId}: ${sub.status} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (sub.status !== 'completed') await showLogs();
    expect(sub.status).toBe('completed');
    expect(sub.report?.status).toBe('pass');
    expect(sub.report?.scores.overall).toBe(100);
    expect(sub.report?.sandbox.runtime).toBe((await hasRunsc(docker)) ? 'runsc' : 'runc');
  });

  it('down -v leaves no container, network or volume of the project and no pod of the submission', async () => {
    const started = Date.now();
    await project('down', '-v', '--remove-orphans', '--timeout', '60');
    down = true;
    console.log(`[compose-test] down -v: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(await projectObjects('container')).toEqual([]);
    expect(await projectObjects('network')).toEqual([]);
    expect(await projectObjects('volume')).toEqual([]);
    const pods = await docker.listContainers({
      all: true,
      filters: { label: [`io.stackgrade.submission=${submissionId || 'none'}`] },
    });
    expect(pods).toEqual([]);
  });
});
