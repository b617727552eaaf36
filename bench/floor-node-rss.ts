import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Peak resident memory of a bare Node.js process that loads nothing, MiB (its own VmHWM, proc(5)). */
export async function measureFloorNodeRss(): Promise<number> {
  const { stdout } = await exec(process.execPath, [
    '-e',
    "console.log(/VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status','utf8'))[1])",
  ]);
  return Number(stdout.trim()) / 1024;
}
