/**
 * EngineWatch on the real engine and a real BullMQ worker: the runner's Docker client goes through a Unix
 * socket that forwards to the engine's, which the test closes, with its connections (the engine is gone, as
 * when dockerd dies), and opens again. The worker must be paused while the engine is gone and take jobs
 * again after.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import Docker from 'dockerode';
import pino from 'pino';
import { dockerSocketPath } from '../../../runner/sandbox/docker';
import { EngineWatch } from '../../../runner/worker/engine-watch';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('EngineWatch', () => {
  let dir: string;
  let queue: Queue;
  let worker: Worker;
  let events: QueueEvents;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sg-engine-watch-'));
  });

  afterAll(async () => {
    await worker?.close();
    await events?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A Unix socket at `at` forwarding each connection to the engine's socket; `close` ends it and them. */
  async function forward(at: string): Promise<{ close(): Promise<void> }> {
    const open = new Set<net.Socket>();
    const server = net.createServer((client) => {
      const engine = net.connect(dockerSocketPath());
      for (const s of [client, engine]) {
        open.add(s);
        s.on('close', () => open.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(engine).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(at, resolve));
    return {
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of open) s.destroy();
        }),
    };
  }

  it('pauses the worker while the engine does not answer and resumes it, taking jobs again, once it does', async () => {
    const link = path.join(dir, 'docker.sock');
    let engine = await forward(link);
    const queueName = `test-engine-watch-${randomUUID().slice(0, 8)}`;
    queue = new Queue(queueName, { connection: { url: REDIS_URL } });
    events = new QueueEvents(queueName, { connection: { url: REDIS_URL } });
    await events.waitUntilReady();
    const done: string[] = [];
    worker = new Worker(
      queueName,
      async (job) => {
        done.push(job.name);
      },
      { connection: { url: REDIS_URL, maxRetriesPerRequest: null } },
    );
    const lines: Record<string, unknown>[] = [];
    const log = pino(
      { level: 'info' },
      { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) },
    );
    const watch = new EngineWatch({
      docker: new Docker({ socketPath: link }),
      worker,
      log,
      intervalMs: 1_000,
      timeoutMs: 5_000,
    });

    expect(await watch.check()).toBe(true);
    expect(worker.isPaused()).toBe(false);

    await engine.close();
    expect(await watch.check()).toBe(false);
    expect(watch.engineUp).toBe(false);
    expect(worker.isPaused()).toBe(true);
    // A second failed check changes nothing (one pause, one log line).
    expect(await watch.check()).toBe(false);
    expect(lines.filter((l) => l.level === 50).map((l) => l.msg)).toEqual([
      'the Docker engine does not answer: taking no grading jobs until it does',
    ]);

    engine = await forward(link);
    expect(await watch.check()).toBe(true);
    expect(worker.isPaused()).toBe(false);
    expect(lines.some((l) => l.msg === 'the Docker engine answers again: taking grading jobs')).toBe(true);
    const job = await queue.add('after-the-engine-came-back', {});
    await job.waitUntilFinished(events, 30_000);
    expect(done).toEqual(['after-the-engine-came-back']);
    await engine.close();
  });
});
