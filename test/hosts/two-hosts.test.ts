/**
 * Two runner hosts against one API, Redis and store (docs/scaling.md, "Several runner hosts"). Host 1 is the
 * machine's Docker engine and `STACKGRADE_HOME`; host 2 is a second Docker engine ({@link SecondEngine}) with
 * a runner of its own home, `DOCKER_HOST` and worker id. Host 2 receives only `debian:bookworm-slim` (the
 * debootstrapped base, by `docker save | docker load`) and builds every other image itself from the same
 * contexts: the reports show the same hash tags on both hosts.
 *
 * It checks, on the small attack-lab challenge: submissions are spread over both hosts and score the same;
 * host 2's dockerd killed mid-grading, its submission finishes on host 1 with one report and its attempts
 * recorded, nothing lost; and neither runner's start-up reaper removes the other's pods or slots. Not part of
 * `npm test` (host 2 builds its images, several minutes): `npm run test:hosts`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import type Docker from 'dockerode';
import type { MongoClient } from 'mongodb';
import type { SubmissionDocument } from '../../runner/contract/submission.schema';
import { gradeJobId } from '../../runner/contract/queue-names';
import { slotsRoot, workerRoot } from '../../runner/grading/work-folders';
import { LABELS } from '../../runner/sandbox/labels';
import {
  Child,
  docker as mainDocker,
  newStack,
  ROOT,
  runnerEnv,
  STACKGRADE_HOME,
  startApi,
  storeClient,
  waitFinished,
  waitFor,
  type Stack,
} from '../integration/faults/support';
import { SecondEngine } from './second-engine';

const CHALLENGES = path.join(ROOT, 'test', 'attacks', 'challenge');
const REFERENCE = path.join(CHALLENGES, 'attack-lab', 'reference');
const MINUTE = 60_000;

/** One runner host: its engine, home and worker id, and the runner process currently running on it. */
interface Host {
  name: string;
  workerId: string;
  home: string;
  docker: Docker;
  env: Record<string, string>;
  runner?: Child;
  /** Every runner process started on it (for the log lines of the whole test). */
  runs: Child[];
}

/** The attack-lab reference (path → text); `slow` listens 3 s late, so its pod is up long enough to kill. */
async function referenceFiles(slow = false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await fs.readdir(REFERENCE))
    out[name] = await fs.readFile(path.join(REFERENCE, name), 'utf8');
  if (slow) {
    const listen = "server.listen(Number(process.env.PORT || 8080), '0.0.0.0');";
    if (!out['server.js']?.includes(listen)) throw new Error('the reference no longer listens as expected');
    out['server.js'] = out['server.js'].replace(listen, `setTimeout(() => ${listen.slice(0, -1)}, 3000);`);
  }
  return out;
}

async function submit(url: string, files: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/v1/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ challenge_id: 'attack-lab', files }),
  });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 202 || !body.id)
    throw new Error(`submit answered ${res.status}: ${JSON.stringify(body)}`);
  return body.id;
}

/** Containers (any state) of worker `workerId` on `docker`, by id → state. */
async function workerContainers(docker: Docker, workerId: string): Promise<Map<string, string>> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.version}=1`, `${LABELS.worker}=${workerId}`] },
  });
  return new Map(list.map((c) => [c.Id, c.State]));
}

/** The slot folders (run ids) of worker `workerId` under `home`. */
async function slotNames(home: string, workerId: string): Promise<string[]> {
  return (await fs.readdir(slotsRoot(workerRoot(home, workerId))).catch(() => [] as string[])).sort();
}

/** Which of the containers `pods` (id → state) are no longer there or no longer running on `docker`. */
async function touched(docker: Docker, pods: Map<string, string>): Promise<string[]> {
  const out: string[] = [];
  for (const id of pods.keys()) {
    const state = await docker
      .getContainer(id)
      .inspect()
      .then(
        (i) => (i.State.Running ? 'running' : i.State.Status),
        () => 'gone',
      );
    if (state !== 'running') out.push(`${id.slice(0, 12)} ${state}`);
  }
  return out;
}

/** Waits until `host` has an idle warm pod: containers with the pool label, every one running. */
async function warmPodReady(host: Host): Promise<Map<string, string>> {
  return waitFor(
    `a warm pod on ${host.name}`,
    async () => {
      const list = await host.docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.worker}=${host.workerId}`, LABELS.pool] },
      });
      const roles = new Set(list.map((c) => c.Labels[LABELS.role]));
      return list.length &&
        roles.has('app') &&
        roles.has('grader') &&
        list.every((c) => c.State === 'running')
        ? new Map(list.map((c) => [c.Id, c.State]))
        : undefined;
    },
    5 * MINUTE,
    500,
  );
}

/** Log lines `msg` of submission `id` in every runner process of `hosts`, with the host's name. */
function linesOf(hosts: Host[], msg: string, id: string): { host: string; line: Record<string, unknown> }[] {
  return hosts.flatMap((h) =>
    h.runs.flatMap((r) =>
      r.lines.filter((l) => l.msg === msg && l.submissionId === id).map((line) => ({ host: h.name, line })),
    ),
  );
}

describe('two runner hosts on one API, Redis and store', () => {
  let stack: Stack;
  let mongo: MongoClient;
  let queue: Queue;
  let engine: SecondEngine | undefined;
  let api: Child | undefined;
  let url = '';
  const hosts: Host[] = [];
  const ids: string[] = [];

  const startRunner = async (host: Host, timeoutMs: number): Promise<Child> => {
    const child = Child.tsx(`runner ${host.name}`, 'runner/main.ts', runnerEnv(stack, host.env));
    host.runner = child;
    host.runs.push(child);
    await child.waitForLog('runner started', timeoutMs);
    return child;
  };

  beforeAll(async () => {
    stack = newStack();
    mongo = storeClient(stack.mongoUri);
    queue = new Queue(stack.queueName, { connection: { url: stack.redisUrl } });
    engine = await SecondEngine.start(mainDocker);
    await engine.loadFrom(mainDocker);
    // Host 2's home, as set-up would make it: its own caches and work folders; FerretDB's binary (which the
    // MongoDB engine image is built from) linked from this machine's set-up rather than built again.
    const home2 = await fs.mkdtemp(path.join(os.tmpdir(), `sg-host2-${engine.layout.tag}-`));
    await fs.symlink(path.join(STACKGRADE_HOME, 'bin'), path.join(home2, 'bin'));
    const common = {
      CHALLENGES_DIR: CHALLENGES,
      RUNNER_CONCURRENCY: '1',
      WARM_PODS: '1',
      REAPER_INTERVAL_MS: '2000',
      ENGINE_CHECK_INTERVAL_MS: '1000',
      RUNNER_METRICS_PORT: '0',
      // The warm pods the reaper checks must not be replaced for age while the test looks at them.
      WARM_POD_MAX_AGE_MS: String(60 * MINUTE),
    };
    hosts.push(
      {
        name: 'host 1',
        workerId: `${stack.workerId}-host1`,
        home: STACKGRADE_HOME,
        docker: mainDocker,
        env: { ...common, WORKER_ID: `${stack.workerId}-host1` },
        runs: [],
      },
      {
        name: 'host 2',
        workerId: `${stack.workerId}-host2`,
        home: home2,
        docker: engine.docker,
        env: {
          ...common,
          WORKER_ID: `${stack.workerId}-host2`,
          STACKGRADE_HOME: home2,
          DOCKER_HOST: engine.host,
          DOCKER_SOCKET: engine.socket,
        },
        runs: [],
      },
    );
    ({ api, url } = await startApi(stack, undefined, { CHALLENGES_DIR: CHALLENGES }));
    // Host 2 builds every image but the base from its contexts: minutes on a busy 2-core machine.
    await Promise.all([startRunner(hosts[0]!, 5 * MINUTE), startRunner(hosts[1]!, 30 * MINUTE)]);
  }, 40 * MINUTE);

  afterAll(async () => {
    // Every step runs whatever the others did; the first error is rethrown at the end.
    const errors: unknown[] = [];
    const step = async (f: () => Promise<unknown>): Promise<void> => {
      await f().catch((err: unknown) => errors.push(err));
    };
    for (const h of hosts) await step(async () => h.runner?.stop('SIGTERM', 60_000));
    await step(async () => api?.stop('SIGKILL'));
    const h1 = hosts[0];
    if (h1) {
      // Whatever a failed run left of host 1's pods (only this test's worker label) and its work root.
      await step(async () => {
        for (const id of (await workerContainers(mainDocker, h1.workerId)).keys())
          await mainDocker.getContainer(id).remove({ force: true, v: true });
      });
      await step(() => fs.rm(workerRoot(STACKGRADE_HOME, h1.workerId), { recursive: true, force: true }));
    }
    await step(async () => engine?.destroy());
    if (hosts[1]) await step(() => fs.rm(hosts[1]!.home, { recursive: true, force: true }));
    await step(async () => queue?.obliterate({ force: true }));
    await step(async () => queue?.close());
    await step(async () => mongo?.db(stack.dbName).dropDatabase());
    await step(async () => mongo?.close());
    if (errors.length) throw errors[0];
  }, 10 * MINUTE);

  it(
    'spreads submissions over both hosts, moves a killed engine’s submission to the other host once, and keeps each reaper to its own host',
    async () => {
      const [h1, h2] = hosts as [Host, Host];
      const db = mongo.db(stack.dbName);
      const engineIds = {
        [h1.workerId]: ((await mainDocker.info()) as { ID: string }).ID,
        [h2.workerId]: ((await h2.docker.info()) as { ID: string }).ID,
      };
      expect(engineIds[h1.workerId]).not.toBe(engineIds[h2.workerId]);

      // 1. Spread: four references at once; each idle runner (concurrency 1) takes one at a time.
      const spread = await Promise.all([0, 1, 2, 3].map(async () => submit(url, await referenceFiles())));
      ids.push(...spread);
      const firstDocs = await Promise.all(spread.map((id) => waitFinished(db, id, 15 * MINUTE)));
      const byWorker = new Map<string, SubmissionDocument[]>();
      for (const doc of firstDocs) {
        expect(doc.status).toBe('completed');
        expect(doc.report?.scores.overall).toBe(100);
        const runner = doc.report?.provenance?.runner;
        expect(runner?.engine_id).toBe(engineIds[runner?.worker_id ?? '']);
        byWorker.set(runner!.worker_id, [...(byWorker.get(runner!.worker_id) ?? []), doc]);
      }
      expect([...byWorker.keys()].sort()).toEqual([h1.workerId, h2.workerId].sort());
      // The same candidate runtime (gVisor where the main engine has it) on both engines.
      expect(new Set(firstDocs.map((d) => d.report?.sandbox.runtime)).size).toBe(1);
      // The same images by tag on both hosts (built from the same contexts), whatever their local ids.
      const tags = (doc: SubmissionDocument): string[] =>
        (doc.report?.provenance?.containers ?? []).map((c) => `${c.role} ${c.image}`).sort();
      expect(tags(byWorker.get(h2.workerId)![0]!)).toEqual(tags(byWorker.get(h1.workerId)![0]!));

      // 2. Host 2's dockerd killed while its pod runs: the submission finishes on host 1, once.
      const slow = await Promise.all([0, 1].map(async () => submit(url, await referenceFiles(true))));
      ids.push(...slow);
      const onHost2 = await waitFor(
        'a pod of a slow submission on host 2',
        async () => {
          const list = await h2.docker.listContainers({
            all: true,
            filters: { label: [`${LABELS.version}=1`, `${LABELS.worker}=${h2.workerId}`] },
          });
          // A cold pod's containers carry the submission's label; a warm pod's candidate container is renamed
          // `sg-<run id>-app-<submission id>` when taken (its labels were set before the submission existed).
          const found = slow.find((id) =>
            list.some(
              (c) => c.Labels[LABELS.submission] === id || c.Names.some((n) => n.endsWith(`-app-${id}`)),
            ),
          );
          if (found) return found;
          const docs = await db
            .collection<SubmissionDocument>('submissions')
            .find({ _id: { $in: slow }, status: { $in: ['completed', 'error'] } })
            .toArray();
          if (docs.length === slow.length)
            throw new Error('host 1 graded both slow submissions: none reached host 2');
          return undefined;
        },
        10 * MINUTE,
        100,
      );
      await engine!.kill();
      const moved = await waitFinished(db, onHost2, 10 * MINUTE);
      const other = await waitFinished(
        db,
        slow.find((s) => s !== onHost2)!,
        10 * MINUTE,
      );
      expect(h2.runner!.alive).toBe(true);
      expect(
        h2.runner!.lines.some(
          (l) => l.msg === 'the Docker engine does not answer: taking no grading jobs until it does',
        ),
      ).toBe(true);
      expect(moved.status).toBe('completed');
      expect(moved.report?.scores.overall).toBe(100);
      expect(moved.report?.provenance?.runner?.worker_id).toBe(h1.workerId);
      expect(moved.attempt).toBeGreaterThanOrEqual(2);
      const history = (moved.lease_history ?? []).map((l) => l.worker);
      expect(history).toHaveLength(moved.attempt);
      expect(history[0]).toBe(h2.workerId);
      expect(history[history.length - 1]).toBe(h1.workerId);
      // Host 2's attempt failed as a platform error to retry, never as a verdict; one report was stored.
      expect(linesOf(hosts, 'grading attempt failed', onHost2)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ host: 'host 2', line: expect.objectContaining({ retryable: true }) }),
        ]),
      );
      expect(other.status).toBe('completed');
      for (const id of ids) {
        const stored = linesOf(hosts, 'graded', id).filter((g) => g.line.stored === true);
        expect(stored).toHaveLength(1);
        expect(linesOf(hosts, 'graded', id).filter((g) => g.line.stored === false)).toEqual([]);
      }
      expect(linesOf(hosts, 'graded', onHost2)[0]?.host).toBe('host 1');

      // 3. Host 2's engine back, then its runner killed and started again: its start-up reaper removes its
      // dead pods (the killed attempt's, its old warm pod) and slots, and nothing of host 1's.
      await engine!.startDaemon();
      await h2.runner!.waitForLog('the Docker engine answers again: taking grading jobs', 2 * MINUTE);
      const h1Pods = await warmPodReady(h1);
      const h1Slots = await slotNames(h1.home, h1.workerId);
      const h2Before = await workerContainers(h2.docker, h2.workerId);
      const h2SlotsBefore = await slotNames(h2.home, h2.workerId);
      expect(h2Before.size).toBeGreaterThan(0);
      expect(h1Slots.length).toBeGreaterThan(0);
      await h2.runner!.stop('SIGKILL');
      await startRunner(h2, 5 * MINUTE);
      const h2After = await workerContainers(h2.docker, h2.workerId);
      expect([...h2Before.keys()].filter((id) => h2After.has(id))).toEqual([]);
      expect((await slotNames(h2.home, h2.workerId)).filter((s) => h2SlotsBefore.includes(s))).toEqual([]);
      expect(await touched(h1.docker, h1Pods)).toEqual([]);
      expect(await slotNames(h1.home, h1.workerId)).toEqual(h1Slots);

      // And the other way round: host 1's runner restarted leaves host 2's new warm pod and slot alone.
      const h2Pods = await warmPodReady(h2);
      const h2Slots = await slotNames(h2.home, h2.workerId);
      expect(h2Slots.length).toBeGreaterThan(0);
      await h1.runner!.stop('SIGKILL');
      await startRunner(h1, 5 * MINUTE);
      const h1After = await workerContainers(h1.docker, h1.workerId);
      expect([...h1Pods.keys()].filter((id) => h1After.has(id))).toEqual([]);
      expect(await touched(h2.docker, h2Pods)).toEqual([]);
      expect(await slotNames(h2.home, h2.workerId)).toEqual(h2Slots);

      // 4. Nothing lost: every submission completed, every job completed (none failed or left waiting).
      for (const id of ids) {
        const doc = await db.collection<SubmissionDocument>('submissions').findOne({ _id: id });
        expect(doc?.status).toBe('completed');
        expect(await (await queue.getJob(gradeJobId(id)))?.getState()).toBe('completed');
      }
    },
    60 * MINUTE,
  );
});
