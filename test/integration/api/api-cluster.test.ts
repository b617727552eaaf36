/**
 * The API as several processes (`API_WORKERS` > 1, api/cluster-primary.ts): real child processes on the
 * shared FerretDB and Redis. Connections are spread over the workers, `/metrics` answers the sum over both
 * workers (counters summed, queue gauges not), a killed worker is replaced, SIGTERM
 * drains every worker and ends the primary with 0, and a worker that cannot start or workers that keep dying
 * end the primary with 1, leaving no worker process behind.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { processTree } from '../../../bench/child-service';
import { MAX_RESTARTS_PER_WINDOW } from '../../../api/cluster-primary';
import { freePort, startApi, starterFiles, submit, useFaultStack, waitFor, Child } from '../faults/support';

/** Pids of the API worker processes of `pid`: its descendants running api/main.ts (not tsx's esbuild service). */
const workersOf = (pid: number): number[] => processTree(pid, 'api/main.ts').slice(1);

const alive = (pid: number): boolean => fs.existsSync(`/proc/${pid}`);

/**
 * Sum of the samples of `name` whose labels include every one of `labels`, in a Prometheus text exposition
 * (label order does not matter); 0 when there is none.
 */
function metricSum(text: string, name: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`))
    .filter((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** The body of a GET on a new connection. */
function textOnNewConnection(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** GET on a new connection each time (no keep-alive: the primary hands out connections, not requests). */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

describe('API with API_WORKERS=2', () => {
  const f = useFaultStack();

  it('serves from two worker processes, accepts and stores a submission, and replaces a killed worker', async () => {
    const { api, url } = await startApi(f.stack, undefined, { API_WORKERS: '2' });
    f.children.push(api);
    const listening = api.lines.find((l) => l.msg === 'api listening')!;
    expect(listening).toMatchObject({ role: 'primary', workers: 2 });
    const workers = workersOf(api.pid);
    expect(workers).toHaveLength(2);
    expect([...(listening.pids as number[])].sort()).toEqual([...workers].sort());

    const healthz = { method: 'GET', route: '/healthz', status: '200' };
    const countedBefore = metricSum(
      await textOnNewConnection(`${url}/metrics`),
      'stackgrade_http_requests_total',
      healthz,
    );
    const from = api.lines.length;
    for (let i = 0; i < 20; i++) expect(await getOnNewConnection(`${url}/healthz`)).toBe(200);
    const servedBy = new Set(
      api.lines
        .slice(from)
        .filter((l) => l.msg === 'request' && l.path === '/healthz')
        .map((l) => l.pid),
    );
    expect([...servedBy].sort()).toEqual([...workers].sort());
    // Each worker served some of the 20; whichever worker answers the scrape, it reports all of them.
    for (let i = 0; i < 4; i++) {
      const text = await textOnNewConnection(`${url}/metrics`);
      expect(metricSum(text, 'stackgrade_http_requests_total', healthz) - countedBefore).toBe(20);
    }

    const accepted = await submit(url, await starterFiles());
    expect(accepted.status).toBe(202);
    const doc = await f.mongo
      .db(f.stack.dbName)
      .collection<SubmissionDocument>('submissions')
      .findOne({ _id: accepted.body.id as string });
    expect(doc?.status).toBe('queued');
    // Queue gauges are read from Redis by every worker: the scrape shows the queue once, not once per worker.
    const gauges = await textOnNewConnection(`${url}/metrics`);
    expect(
      metricSum(gauges, 'stackgrade_queue_jobs', { queue: 'grading', state: 'waiting' }) +
        metricSum(gauges, 'stackgrade_queue_jobs', { queue: 'grading', state: 'prioritized' }),
    ).toBe(1);

    process.kill(workers[0]!, 'SIGKILL');
    const now = await waitFor(
      'a replacement worker',
      () => {
        const c = workersOf(api.pid);
        const replaced =
          c.length === 2 &&
          !c.includes(workers[0]!) &&
          api.lines.filter((l) => l.msg === 'api worker listening').length >= 3;
        return replaced ? c : undefined;
      },
      30_000,
    );
    expect(now).toContain(workers[1]);
    expect(
      api.lines.some(
        (l) => l.msg === 'an API worker exited; starting a replacement' && l.signal === 'SIGKILL',
      ),
    ).toBe(true);
    for (let i = 0; i < 6; i++) expect(await getOnNewConnection(`${url}/healthz`)).toBe(200);

    await api.stop('SIGTERM');
    expect(await api.exited).toBe(0);
    for (const pid of now) expect(alive(pid)).toBe(false);
    expect(api.lines.filter((l) => l.msg === 'stopped').map((l) => l.role ?? 'worker')).toEqual([
      'worker',
      'worker',
      'primary',
    ]);
  });

  it('a primary killed with SIGKILL leaves no worker serving: each drains and exits', async () => {
    const { api } = await startApi(f.stack, undefined, { API_WORKERS: '2' });
    f.children.push(api);
    const workers = workersOf(api.pid);
    expect(workers).toHaveLength(2);
    await api.stop('SIGKILL');
    await waitFor('the orphaned workers to exit', () => (workers.some(alive) ? undefined : true), 20_000);
  });

  it('workers that keep dying end the primary with 1 once more than the allowed restarts happened', async () => {
    const { api } = await startApi(f.stack, undefined, { API_WORKERS: '2' });
    f.children.push(api);
    const seen = new Set<number>();
    for (let kills = 0; kills <= MAX_RESTARTS_PER_WINDOW && api.alive; kills++) {
      workersOf(api.pid).forEach((p) => seen.add(p));
      const victim = workersOf(api.pid)[0];
      if (victim === undefined) break;
      const listened = api.lines.filter((l) => l.msg === 'api worker listening').length;
      process.kill(victim, 'SIGKILL');
      if (kills < MAX_RESTARTS_PER_WINDOW)
        await waitFor(
          'the replacement to listen',
          () =>
            api.lines.filter((l) => l.msg === 'api worker listening').length > listened ? true : undefined,
          30_000,
        );
    }
    expect(await api.exited).toBe(1);
    expect(api.lines.some((l) => l.msg === 'API workers keep exiting; stopping')).toBe(true);
    expect(seen.size).toBe(MAX_RESTARTS_PER_WINDOW + 2);
    for (const pid of seen) expect(alive(pid)).toBe(false);
  });

  it('a worker that cannot reach the store ends the primary with 1 and no worker is left', async () => {
    const closedPort = await freePort();
    const api = Child.tsx('api', 'api/main.ts', {
      API_PORT: String(await freePort()),
      API_HOST: '127.0.0.1',
      API_WORKERS: '2',
      MONGODB_URI: `mongodb://127.0.0.1:${closedPort}`,
      MONGODB_DB: f.stack.dbName,
      REDIS_URL: f.stack.redisUrl,
      QUEUE_NAME: f.stack.queueName,
    });
    f.children.push(api);
    const seen = new Set<number>();
    const watch = setInterval(() => workersOf(api.pid).forEach((p) => seen.add(p)), 100);
    try {
      expect(await api.exited).toBe(1);
    } finally {
      clearInterval(watch);
    }
    expect(api.lines.some((l) => l.msg === 'an API worker exited before it listened')).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    for (const pid of seen) expect(alive(pid)).toBe(false);
  });
});
