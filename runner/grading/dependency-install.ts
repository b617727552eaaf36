import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { AppError } from '../contract/app-error';
import type { Logger } from '../lib/logger';
import { logTail } from '../sandbox/container-logs';
import { hardenedHostConfig } from '../sandbox/host-config';
import { podLabels } from '../sandbox/labels';
import { removeRun } from '../sandbox/pod';
import { SolutionSetupError, type SolutionPackage } from './solution-package';

/** Options of {@link installDependencies}. */
export interface InstallOptions {
  image: string;
  /** Host folder of the install cache (`<STACKGRADE_HOME>/cache/node-modules`). */
  cacheRoot: string;
  registry: string;
  timeoutMs: number;
  runId: string;
  submissionId: string;
  worker: string;
  /** Host CA bundle to trust in the install step (a TLS-inspecting egress proxy), or null. */
  caFile: string | null;
}

/** Cache key of an install: sha256 of the dependency map and the lockfile. */
export function installKey(pkg: SolutionPackage): string {
  const deps = Object.fromEntries(Object.entries(pkg.dependencies).sort(([a], [b]) => (a < b ? -1 : 1)));
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(deps))
    .update('\0')
    .update(pkg.lockfile ?? '')
    .digest('hex')
    .slice(0, 32);
}

const exists = (p: string): Promise<boolean> =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

/**
 * Installs a solution's registry dependencies in a separate, hardened container that is the only step with
 * network (npm with install scripts disabled, only registry specs admitted by parseSolutionPackage), and
 * caches the resulting node_modules by {@link installKey}, so a repeated submission installs nothing.
 * Returns the host folder to mount at /node_modules, or null when there is nothing to install.
 * Throws SolutionSetupError (candidate outcome) when npm fails, AppError SANDBOX_FAILED on Docker errors.
 */
export async function installDependencies(
  docker: Docker,
  pkg: SolutionPackage,
  o: InstallOptions,
  log: Logger,
): Promise<string | null> {
  if (Object.keys(pkg.dependencies).length === 0) return null;
  const key = installKey(pkg);
  const target = path.join(o.cacheRoot, key);
  if (await exists(path.join(target, '.stackgrade-complete'))) return target;

  await fs.mkdir(o.cacheRoot, { recursive: true });
  const work = await fs.mkdtemp(path.join(o.cacheRoot, `.install-${key.slice(0, 8)}-`));
  const started = Date.now();
  try {
    await fs.writeFile(
      path.join(work, 'package.json'),
      JSON.stringify({ name: 'solution', version: '0.0.0', private: true, dependencies: pkg.dependencies }),
    );
    if (pkg.lockfile) await fs.writeFile(path.join(work, 'package-lock.json'), pkg.lockfile);
    await fs.chown(work, 10001, 10001);
    for (const f of await fs.readdir(work)) await fs.chown(path.join(work, f), 10001, 10001);
    const npmArgs = pkg.lockfile ? ['ci'] : ['install', '--package-lock=false'];
    const c = await docker.createContainer({
      name: `sg-${o.runId}-install`,
      Image: o.image,
      Cmd: [
        'npm',
        ...npmArgs,
        '--ignore-scripts',
        '--omit=dev',
        '--no-audit',
        '--no-fund',
        '--loglevel=warn',
      ],
      User: '10001:10001',
      WorkingDir: '/install',
      Env: [
        `npm_config_registry=${o.registry}`,
        'npm_config_cache=/tmp/.npm',
        'HOME=/tmp',
        'npm_config_update_notifier=false',
        ...(o.caFile ? ['NODE_EXTRA_CA_CERTS=/etc/stackgrade/ca.crt'] : []),
      ],
      Labels: podLabels({
        runId: o.runId,
        submissionId: o.submissionId,
        role: 'install',
        worker: o.worker,
        deadline: Date.now() + o.timeoutMs + 60_000,
      }),
      StopSignal: 'SIGKILL',
      HostConfig: hardenedHostConfig({
        networkMode: 'bridge',
        limits: {
          memoryMb: 1024,
          cpus: 1,
          pids: 256,
          tmpfs: { '/tmp': 512 },
          fileSizeMb: 256,
          nofile: 4096,
          shmMb: 16,
        },
        readOnlyRoot: true,
        writableBinds: { [work]: '/install' },
        ...(o.caFile ? { readOnlyBinds: { [o.caFile]: '/etc/stackgrade/ca.crt' } } : {}),
      }),
    });
    await c.start();
    const res = (await Promise.race([
      c.wait(),
      new Promise((r) => setTimeout(() => r({ StatusCode: -1 }), o.timeoutMs)),
    ])) as { StatusCode: number };
    const out = await logTail(c, 4000);
    if (res.StatusCode !== 0) {
      throw new SolutionSetupError(
        res.StatusCode === -1
          ? `Installing dependencies took longer than ${o.timeoutMs / 1000} s.`
          : `Installing dependencies failed (npm ${npmArgs[0]} exited ${res.StatusCode}):\n${out}`,
      );
    }
    const nm = path.join(work, 'node_modules');
    if (!(await exists(nm))) await fs.mkdir(nm);
    await fs.writeFile(path.join(nm, '.stackgrade-complete'), `${new Date().toISOString()}\n`);
    try {
      await fs.rename(nm, target);
    } catch (err) {
      // Another run installed the same key meanwhile: keep theirs.
      if (!(await exists(path.join(target, '.stackgrade-complete')))) throw err;
    }
    log.info({ runId: o.runId, key, ms: Date.now() - started }, 'installed dependencies');
    return target;
  } catch (err) {
    if (err instanceof SolutionSetupError) throw err;
    throw new AppError('SANDBOX_FAILED', `dependency install failed: ${String(err)}`, {
      retryable: true,
      cause: err,
    });
  } finally {
    await removeRun(docker, o.runId, log);
    await fs.rm(work, { recursive: true, force: true });
  }
}
