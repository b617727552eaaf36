import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { AppError } from '../contract/app-error';
import type { Logger } from '../lib/logger';
import { logTail } from '../sandbox/container-logs';
import { hardenedHostConfig, type ContainerLimits } from '../sandbox/host-config';
import { podLabels } from '../sandbox/labels';
import { removeRun } from '../sandbox/removal-registry';
import { SolutionSetupError } from '../grading/solution-package';

/** Where an install step runs: its image, registry, limits and the run it belongs to. */
export interface InstallEnvironment {
  docker: Docker;
  /** Image of the runtime (the same one the service then runs on). */
  image: string;
  /** Host folder of this runtime's caches (`<STACKGRADE_HOME>/cache/<runtime>`). */
  cacheRoot: string;
  /** The runtime's package registry (npm registry, PyPI simple index, Go module proxy URL). */
  registry: string;
  timeoutMs: number;
  runId: string;
  submissionId: string;
  worker: string;
  /** Host CA bundle to trust in the install step (a TLS-inspecting egress proxy), or null. */
  caFile: string | null;
  log: Logger;
}

/** Where the CA bundle of {@link InstallEnvironment.caFile} is mounted in the install container. */
export const INSTALL_CA_PATH = '/etc/stackgrade/ca.crt';

/** Limits of the install container: more memory and time than a service, never the candidate's. */
const INSTALL_LIMITS: ContainerLimits = {
  memoryMb: 1024,
  cpus: 1,
  pids: 256,
  tmpfs: { '/tmp': 512 },
  fileSizeMb: 256,
  nofile: 4096,
  shmMb: 16,
};

/** The uid:gid everything of a candidate runs as (the `candidate` user of the runtime images). */
export const CANDIDATE_UID = 10001;

/** sha256 (32 hex digits) of the given parts, each separated by a NUL: the cache key of an install. */
export function hashKey(parts: readonly (string | Buffer)[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
}

const exists = (p: string): Promise<boolean> =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

/** What one install step runs (see {@link cachedInstall}). */
export interface InstallCommand {
  /** Cache key: the same key never installs twice ({@link hashKey} of the manifest, lockfile, sources). */
  key: string;
  /** Files written into the input folder before the step (relative path → content). */
  inputs: ReadonlyMap<string, Buffer | string>;
  /** Mount point of the input folder (read-only) in the install container. */
  inputMount: string;
  /**
   * Mount point of the output folder (writable). Its content, once the command exits 0, is the result: the
   * folder mounted at the same path in the service's container (so paths a tool embeds, such as a venv's,
   * hold).
   */
  outputMount: string;
  /**
   * Sub-folder of the output folder that is the result (npm writes `node_modules` beside the package.json
   * it reads); default the whole output folder.
   */
  resultSubdir?: string;
  /** Working directory of the command; default {@link inputMount}. */
  workingDir?: string;
  /** Further writable host folders shared by every install of the runtime (e.g. Go's module cache). */
  sharedCaches?: Readonly<Record<string, string>>;
  /** argv of the step, run as the candidate's uid. */
  cmd: string[];
  env: string[];
  /** Tool name for messages (`npm ci`, `pip install`, `go build`). */
  what: string;
}

/**
 * Runs an install step in a separate, hardened container that is the only step of a grading with network
 * (bridge network, read-only root, candidate uid, no capabilities, bounded memory, pids and time), and caches
 * its output folder under `<cacheRoot>/<key>`, so a repeated submission installs nothing.
 * Returns the host folder of the result. Throws SolutionSetupError (a candidate outcome, with the step's
 * output tail) when the command fails or times out, AppError SANDBOX_FAILED on Docker or file errors.
 */
export async function cachedInstall(env: InstallEnvironment, step: InstallCommand): Promise<string> {
  const target = path.join(env.cacheRoot, step.key);
  if (await exists(path.join(target, '.stackgrade-complete'))) return target;
  await fs.mkdir(env.cacheRoot, { recursive: true });
  const work = await fs.mkdtemp(path.join(env.cacheRoot, `.install-${step.key.slice(0, 8)}-`));
  const input = path.join(work, 'input');
  const output = path.join(work, 'output');
  const started = Date.now();
  try {
    for (const dir of [input, output]) {
      await fs.mkdir(dir);
      await fs.chown(dir, CANDIDATE_UID, CANDIDATE_UID);
    }
    for (const [rel, content] of step.inputs) {
      const file = path.join(input, rel);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
    }
    await chownTree(input);
    for (const dir of Object.keys(step.sharedCaches ?? {})) {
      await fs.mkdir(dir, { recursive: true });
      await fs.chown(dir, CANDIDATE_UID, CANDIDATE_UID);
    }
    const c = await env.docker.createContainer({
      name: `sg-${env.runId}-install`,
      Image: env.image,
      Cmd: step.cmd,
      User: `${CANDIDATE_UID}:${CANDIDATE_UID}`,
      WorkingDir: step.workingDir ?? step.inputMount,
      Env: ['HOME=/tmp', ...step.env],
      Labels: podLabels({
        runId: env.runId,
        submissionId: env.submissionId,
        role: 'install',
        worker: env.worker,
        deadline: Date.now() + env.timeoutMs + 60_000,
      }),
      StopSignal: 'SIGKILL',
      HostConfig: hardenedHostConfig({
        networkMode: 'bridge',
        limits: INSTALL_LIMITS,
        readOnlyRoot: true,
        writableBinds: { [output]: step.outputMount, ...step.sharedCaches },
        readOnlyBinds: { [input]: step.inputMount, ...(env.caFile ? { [env.caFile]: INSTALL_CA_PATH } : {}) },
      }),
    });
    await c.start();
    const res = (await Promise.race([
      c.wait(),
      new Promise((r) => setTimeout(() => r({ StatusCode: -1 }), env.timeoutMs)),
    ])) as { StatusCode: number };
    const out = await logTail(c, 4000);
    if (res.StatusCode !== 0) {
      throw new SolutionSetupError(
        res.StatusCode === -1
          ? `Installing dependencies took longer than ${env.timeoutMs / 1000} s.`
          : `Installing dependencies failed (${step.what} exited ${res.StatusCode}):\n${out}`,
      );
    }
    const result = step.resultSubdir ? path.join(output, step.resultSubdir) : output;
    if (!(await exists(result))) await fs.mkdir(result);
    await fs.writeFile(path.join(result, '.stackgrade-complete'), `${new Date().toISOString()}\n`);
    try {
      await fs.rename(result, target);
    } catch (err) {
      // Another run installed the same key meanwhile: keep theirs.
      if (!(await exists(path.join(target, '.stackgrade-complete')))) throw err;
    }
    env.log.info({ runId: env.runId, key: step.key, ms: Date.now() - started }, 'installed dependencies');
    return target;
  } catch (err) {
    if (err instanceof SolutionSetupError) throw err;
    throw new AppError('SANDBOX_FAILED', `dependency install failed: ${String(err)}`, {
      retryable: true,
      cause: err,
    });
  } finally {
    await removeRun(env.docker, env.runId, env.log);
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Gives every file and folder under `dir` to the candidate's uid (the install step reads them). */
async function chownTree(dir: string): Promise<void> {
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    await fs.chown(path.join(e.parentPath, e.name), CANDIDATE_UID, CANDIDATE_UID);
  }
}
