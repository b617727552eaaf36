/**
 * `npm start`: Stackgrade on one machine, as one service. Runs the API (`api/main.ts`) and one runner
 * (`runner/main.ts`) as child processes against the Redis and MongoDB-compatible store that
 * scripts/setup-host.sh installed (defaults `redis://127.0.0.1:6379`, `mongodb://127.0.0.1:27017`; every
 * variable of api/config.ts and runner/config.ts can be set), prints their logs readably and stops both
 * cleanly on Ctrl-C or SIGTERM. Exits 0 after a requested stop in which both children exited 0, else 1
 * (also when a child ends on its own: a service manager then restarts the whole service).
 *
 * Own variables: `LOG_FORMAT` (`pretty`, the default: one readable line per log record; `json`: pino's JSON
 * lines with a `proc` field), `STOP_TIMEOUT_MS` (default 60000: how long the children may drain after
 * SIGTERM before they are killed).
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../api/config';
import { isAppError } from '../runner/contract/app-error';
import { loadRunnerConfig } from '../runner/config';
import { lineFormatter, type LogFormat } from './start/log-lines';
import { ProcessSupervisor } from './start/process-supervisor';

const ROOT = path.resolve(__dirname, '..');

const startEnvSchema = z.object({
  LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty'),
  STOP_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(60_000),
});

async function main(): Promise<number> {
  const own = startEnvSchema.parse(process.env);
  // A stable runner identity: a restarted service takes back its own work folder and leases at once.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WORKER_ID: process.env.WORKER_ID ?? `${os.hostname()}-start`,
  };
  // Both configurations are checked here first, so a bad variable is one clear message, not two crashes.
  const api = loadConfig(env);
  loadRunnerConfig(env);

  const format: LogFormat = own.LOG_FORMAT;
  const colorize = format === 'pretty' && process.stdout.isTTY === true;
  const formatters = new Map(
    ['api', 'runner'].map((name) => [name, lineFormatter(name, format, colorize)] as const),
  );
  const say = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void => {
    const line =
      format === 'json'
        ? JSON.stringify({ proc: 'start', level, time: Date.now(), msg, ...fields })
        : `[start] ${new Date().toTimeString().slice(0, 8)} ${level.toUpperCase()}: ${msg}${Object.entries(
            fields,
          )
            .filter(([, v]) => v !== null && v !== undefined)
            .map(([k, v]) => ` ${k}=${String(v)}`)
            .join('')}`;
    process.stdout.write(`${line}\n`);
  };
  const supervisor = new ProcessSupervisor({
    cwd: ROOT,
    env,
    stopTimeoutMs: own.STOP_TIMEOUT_MS,
    onLine: (child, line) => process.stdout.write(`${formatters.get(child)?.(line) ?? line}\n`),
    log: say,
  });
  return supervisor.run(
    [
      { name: 'api', script: 'api/main.ts', readyMsg: 'api listening' },
      { name: 'runner', script: 'runner/main.ts', readyMsg: 'runner started' },
    ],
    () => say('info', 'stackgrade ready', { url: `http://${api.API_HOST}:${api.API_PORT}` }),
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[start] ${isAppError(err) ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
