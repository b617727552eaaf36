import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import type Docker from 'dockerode';

const exec = promisify(execFile);

/** The machine a benchmark ran on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryMb: number;
  kernel: string;
  docker: string;
  /** OCI runtimes Docker has registered, and the one candidate containers used. */
  runtimes: string[];
  candidateRuntime: string;
  node: string;
  date: string;
  commit: string;
}

async function cpuModel(): Promise<string> {
  const cpus = os.cpus();
  if (cpus[0]?.model) return cpus[0].model.trim();
  const info = await fs.readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  return /model name\s*:\s*(.+)/.exec(info)?.[1]?.trim() ?? 'unknown';
}

async function gitCommit(cwd: string): Promise<string> {
  try {
    const { stdout } = await exec('git', ['rev-parse', 'HEAD'], { cwd });
    const dirty = (
      await exec('git', ['status', '--porcelain', '--untracked-files=no'], { cwd })
    ).stdout.trim();
    return `${stdout.trim()}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** Reads CPU model, cores, memory (MiB), kernel, Docker version and runtimes, Node.js, date and git commit. */
export async function machineInfo(
  docker: Docker,
  candidateRuntime: string,
  repo: string,
): Promise<MachineInfo> {
  const ver = await docker.version();
  const info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
  return {
    cpu: await cpuModel(),
    cores: os.cpus().length,
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    kernel: `${os.type()} ${os.release()}`,
    docker: `${ver.Version} (API ${ver.ApiVersion})`,
    runtimes: Object.keys(info.Runtimes ?? {}).sort(),
    candidateRuntime,
    node: process.version,
    date: new Date().toISOString(),
    commit: await gitCommit(repo),
  };
}
