/**
 * `npm start` (scripts/start.ts) as a person or a service manager runs it: the API and a runner as children
 * of one process, against the shared Redis and store, on the small attack-lab challenge. It must become
 * ready, grade a submission through the HTTP API, and stop both children cleanly on SIGTERM (exit 0, no pod
 * container left); a child that dies on its own must take the service down with exit 1.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Child, docker, freePort, ROOT, waitFor } from '../faults/support';
import { LABELS } from '../../../runner/sandbox/labels';

const ATTACK_CHALLENGES = path.join(ROOT, 'test', 'attacks', 'challenge');

interface Service {
  child: Child;
  url: string;
  workerId: string;
}

async function startService(): Promise<Service> {
  const tag = randomUUID().slice(0, 8);
  const port = await freePort();
  const workerId = `start-test-${tag}`;
  const child = Child.tsx('start', 'scripts/start.ts', {
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    MONGODB_DB: `start_${tag}`,
    QUEUE_NAME: `test-start-${tag}`,
    WORKER_ID: workerId,
    CHALLENGES_DIR: ATTACK_CHALLENGES,
    RUNNER_CONCURRENCY: '1',
    WARM_PODS: '0',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
  });
  await child.waitForLog('stackgrade ready', 180_000);
  return { child, url: `http://127.0.0.1:${port}`, workerId };
}

/** The attack-lab reference's files (path → text). */
async function referenceFiles(): Promise<Record<string, string>> {
  const fs = await import('node:fs/promises');
  const dir = path.join(ATTACK_CHALLENGES, 'attack-lab', 'reference');
  const out: Record<string, string> = {};
  for (const name of await fs.readdir(dir)) out[name] = await fs.readFile(path.join(dir, name), 'utf8');
  return out;
}

function stoppedLines(child: Child): Record<string, unknown>[] {
  return child.lines.filter(
    (l) => l.proc === 'start' && typeof l.msg === 'string' && / stopped /.test(l.msg),
  );
}

describe('npm start', () => {
  it('npm start, when it receives SIGTERM after grading a submission, stops the API and the runner and exits 0', async () => {
    const svc = await startService();
    try {
      const health = await fetch(`${svc.url}/healthz`);
      expect(health.status).toBe(200);

      const post = await fetch(`${svc.url}/v1/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ challenge_id: 'attack-lab', files: await referenceFiles() }),
      });
      expect(post.status).toBe(202);
      const { id } = (await post.json()) as { id: string };
      const done = await waitFor(
        `submission ${id} to complete`,
        async () => {
          const body = (await (await fetch(`${svc.url}/v1/submissions/${id}`)).json()) as {
            status: string;
            report: {
              scores: { overall: number };
              provenance?: { grader_seed: number | null };
              signature?: unknown;
            } | null;
          };
          return body.status === 'completed' || body.status === 'error' ? body : undefined;
        },
        240_000,
        500,
      );
      expect(done.status).toBe('completed');
      expect(done.report?.scores.overall).toBe(100);
      // The runner recorded the provenance and published its signing key; the candidate's (redacted) view
      // carries no signature.
      expect(done.report?.provenance?.grader_seed).toEqual(expect.any(Number));
      expect(done.report?.signature).toBeUndefined();
      const keys = (await (await fetch(`${svc.url}/v1/signing-key`)).json()) as {
        keys: { key_id: string }[];
      };
      expect(keys.keys.map((k) => k.key_id)).toEqual([expect.stringMatching(/^SHA256:[\w-]{43}$/)]);
    } finally {
      await svc.child.stop('SIGTERM', 90_000);
    }
    expect(await svc.child.exited).toBe(0);
    expect(stoppedLines(svc.child).map((l) => [l.child, l.code])).toEqual(
      expect.arrayContaining([
        ['api', 0],
        ['runner', 0],
      ]),
    );
    // Both children are gone and the runner left no container behind.
    const pids = svc.child.lines.filter((l) => l.msg === 'started api' || l.msg === 'started runner');
    expect(pids).toHaveLength(2);
    for (const l of pids) expect(() => process.kill(l.pid as number, 0)).toThrow();
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.worker}=${svc.workerId}`] },
    });
    expect(left).toEqual([]);
  });

  it('npm start, when the runner dies on its own, stops the API and exits 1', async () => {
    const svc = await startService();
    const runner = svc.child.lines.find((l) => l.msg === 'started runner');
    const api = svc.child.lines.find((l) => l.msg === 'started api');
    try {
      process.kill(runner?.pid as number, 'SIGKILL');
      expect(await svc.child.exited).toBe(1);
    } finally {
      await svc.child.stop('SIGKILL');
    }
    expect(
      svc.child.lines.some((l) => l.msg === 'runner exited on its own (signal SIGKILL): stopping the others'),
    ).toBe(true);
    expect(stoppedLines(svc.child).find((l) => l.child === 'api')?.code).toBe(0);
    expect(() => process.kill(api?.pid as number, 0)).toThrow();
  });
});
