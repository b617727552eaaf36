import { spawn } from 'node:child_process';
import path from 'node:path';
import { EVENT_PREFIX } from '../../../grader/protocol';

const ROOT = path.join(__dirname, '../../..');

/** Runs a TypeScript file with tsx and returns its stdout, read through a pipe. */
function stdoutOf(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

describe('grader event lines', () => {
  it('a 300 kB done line reaches the runner whole when the grader exits from the flushed callback', async () => {
    const out = await stdoutOf(path.join(__dirname, 'fixtures/emit-large-done.ts'));
    const line = out.split('\n').find((l) => l.startsWith(EVENT_PREFIX));
    expect(line).toBeDefined();
    expect(Buffer.byteLength(line!)).toBeGreaterThan(300_000);
    const ev = JSON.parse(line!.slice(EVENT_PREFIX.length)) as { output: { checks: { message: string }[] } };
    expect(ev.output.checks[0]!.message).toHaveLength(150_000);
  }, 60_000);
});
