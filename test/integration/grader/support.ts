/**
 * Real services for the grader SDK's integration tests: tiny node:http apps on 127.0.0.1 random ports, a
 * PostgreSQL 15 container from stackgrade/postgres15 (pg_stat_statements, auto_explain, log collector, as in
 * a pod), an own redis-server and an own FerretDB process on free ports. Everything started here is stopped
 * by the returned handle.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A JSON handler: returns status, headers and body (objects are sent as JSON). */
export type Handler = (
  req: http.IncomingMessage & { body: string; url: string },
  url: URL,
) =>
  | Promise<{ status?: number; headers?: Record<string, string>; body?: unknown }>
  | { status?: number; headers?: Record<string, string>; body?: unknown };

/** Starts a node:http app on 127.0.0.1:0 whose requests go to `handler`; returns its base URL and a closer. */
export async function startApp(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = Object.assign(req, { body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '/' });
      Promise.resolve()
        .then(() => handler(r, new URL(r.url, 'http://x')))
        .then(
          (out) => {
            const headers = { ...(out.headers ?? {}) };
            let payload = '';
            if (out.body !== undefined) {
              payload = typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
              if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
                headers['content-type'] = 'application/json';
            }
            res.writeHead(out.status ?? 200, headers);
            res.end(payload);
          },
          (err: unknown) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(String(err instanceof Error ? err.stack : err));
          },
        );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A free TCP port on 127.0.0.1 (released before returning). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitFor(ok: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await ok().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${ms} ms`);
}

const tcpOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/** Label on the PostgreSQL containers these tests start (removed by id in afterAll). */
export const TEST_LABEL = 'io.stackgrade.test';

/** A running PostgreSQL 15 container: superuser and candidate (`app`) URLs of database `appdb`. */
export interface TestPostgres {
  adminUrl: string;
  appUrl: string;
  stop: () => Promise<void>;
}

const PG_SCRIPT = `set -eu
printf 'CREATE EXTENSION pg_stat_statements;\\n' > /tmp/ext.sql
stackgrade-pg-build /tmp/ext.sql >/dev/null
echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
postgres -D "$PGDATA" -c listen_addresses='*' -c port=5432 -c unix_socket_directories=/var/run/postgresql -c max_parallel_workers_per_gather=0 &
until pg_isready -q -h /var/run/postgresql -p 5432; do sleep 0.1; done
psql -v ON_ERROR_STOP=1 -q -h /var/run/postgresql -U stackgrade_admin -d appdb -c "ALTER ROLE stackgrade_admin PASSWORD 'admin-pw'" -c "ALTER ROLE app PASSWORD 'app-pw'"
echo STACKGRADE_TEST_DB_READY
wait`;

/**
 * Starts stackgrade/postgres15:latest with the image's own build script (initdb, roles, pg_stat_statements,
 * auto_explain, log collector) and a published 127.0.0.1 port; waits for readiness.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const name = `sg-grader-sdk-test-${randomUUID().slice(0, 8)}`;
  const { stdout } = await run('docker', [
    'run',
    '-d',
    '--name',
    name,
    '--label',
    `${TEST_LABEL}=grader-sdk`,
    '--shm-size=256m',
    '-e',
    'DB_NAME=appdb',
    '-e',
    'CANDIDATE_ROLE=app',
    '-p',
    '127.0.0.1::5432',
    'stackgrade/postgres15:latest',
    'sh',
    '-c',
    PG_SCRIPT,
  ]);
  const id = stdout.trim();
  const stop = async (): Promise<void> => {
    await run('docker', ['rm', '-f', id]).catch(() => undefined);
  };
  try {
    await waitFor(
      async () => (await run('docker', ['logs', id])).stdout.includes('STACKGRADE_TEST_DB_READY'),
      90_000,
      'PostgreSQL',
    );
    const port = (await run('docker', ['port', id, '5432/tcp'])).stdout
      .trim()
      .split('\n')[0]!
      .split(':')
      .pop()!;
    return {
      adminUrl: `postgres://stackgrade_admin:admin-pw@127.0.0.1:${port}/appdb`,
      appUrl: `postgres://app:app-pw@127.0.0.1:${port}/appdb`,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function startProcess(cmd: string, args: string[]): ChildProcess {
  return spawn(cmd, args, { stdio: 'ignore' });
}

async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  await new Promise<void>((r) => {
    p.once('exit', () => r());
    p.kill('SIGTERM');
  });
}

/** Starts an own redis-server (no persistence) on a free port. */
export async function startRedis(): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const p = startProcess('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await waitFor(() => tcpOpen(port), 10_000, 'redis-server');
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => stopProcess(p) };
}

/** FerretDB binary installed by scripts/setup-host.sh. */
export const FERRETDB_BIN = process.env.FERRETDB_BIN ?? '/var/lib/stackgrade/bin/ferretdb-v1.24.2';

/**
 * Starts an own FerretDB (SQLite backend in a temporary directory) on a free port, so server-wide counters
 * (serverStatus) see only this test's traffic.
 */
export async function startFerretDb(): Promise<{ uri: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const debugPort = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sg-ferretdb-'));
  const p = startProcess(FERRETDB_BIN, [
    '--handler=sqlite',
    `--sqlite-url=file:${dir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    '--telemetry=disable',
    '--log-level=error',
    `--debug-addr=127.0.0.1:${debugPort}`,
    '--state-dir',
    dir,
  ]);
  await waitFor(() => tcpOpen(port), 20_000, 'FerretDB');
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    stop: async () => {
      await stopProcess(p);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
