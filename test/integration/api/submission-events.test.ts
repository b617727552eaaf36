/**
 * `GET /v1/submissions/:id/events` (Server-Sent Events) on the real app and store. The grading's progress
 * comes from a scripted {@link ProgressFeed} (the test plays the runner's part; the BullMQ feed itself is
 * exercised by the browser test, test/integration/web): a watcher that connects late gets the stages it
 * missed, in order, then only newer events, then `done`; the `done` score follows the feedback tier.
 */
import request from 'supertest';
import { issueApiKey } from '../../../api/domain/issue-api-key';
import type { ProgressFeed, ProgressUpdate } from '../../../api/queue/progress-feed';
import { challengeManifestSchema } from '../../../runner/contract/challenge-manifest.schema';
import type { GradingProgress } from '../../../runner/contract/grading-progress';
import { problemType } from '../../../runner/contract/error-codes';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { buildReport } from '../../../runner/grading/build-report';
import { graderCheck, podOutcome } from '../../support/report-fixtures';
import { FIXTURE_OWNER, manifestFixture } from '../../unit/api/fixtures/challenge-fixture';
import { CHALLENGE_ID, startHarness, VALID_FILES, type Harness } from './support';

/** The runner's part, played by the test: a stored progress per submission and live updates on demand. */
class ScriptedFeed implements ProgressFeed {
  readonly stored = new Map<string, GradingProgress>();
  readonly listeners = new Map<string, (u: ProgressUpdate) => void>();
  subscribe(id: string, listener: (u: ProgressUpdate) => void): () => void {
    this.listeners.set(id, listener);
    return () => this.listeners.delete(id);
  }
  current(id: string): Promise<GradingProgress | null> {
    return Promise.resolve(this.stored.get(id) ?? null);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n'))
    .filter((lines) => lines.some((l) => l.startsWith('event: ')))
    .map((lines) => ({
      event: lines.find((l) => l.startsWith('event: '))!.slice(7),
      data: JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as Record<string, unknown>,
    }));
}

/** Starts reading a submission's event stream; resolves to its events once the server ends it. */
function readEvents(h: Harness, id: string): Promise<{ status: number; events: SseEvent[] }> {
  return request(h.app)
    .get(`/v1/submissions/${id}/events`)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done(null, text));
    })
    .then((res) => ({ status: res.status, events: parseSse(res.body as string) }));
}

function gradedReport(): NonNullable<SubmissionDocument['report']> {
  const manifest = challengeManifestSchema.parse(manifestFixture(CHALLENGE_ID));
  return buildReport(manifest, {
    outcome: podOutcome(manifest.checks.map((c) => graderCheck(c.id, 'pass'))),
    setupFailure: null,
    runtime: 'runsc',
    timingsMs: {},
  });
}

describe('GET /v1/submissions/:id/events', () => {
  const feed = new ScriptedFeed();
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ progress: feed });
  });

  afterAll(() => h.close());

  const submissions = () => h.db.collection<SubmissionDocument>('submissions');

  async function submit(headers: Record<string, string> = {}): Promise<string> {
    const res = await request(h.app)
      .post('/v1/submissions')
      .set(headers)
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  async function complete(id: string): Promise<void> {
    await submissions().updateOne({ _id: id }, { $set: { status: 'completed', report: gradedReport() } });
  }

  it('replays the stages a late watcher missed, in order, then only newer events, then done', async () => {
    const id = await submit();
    await submissions().updateOne({ _id: id }, { $set: { status: 'running' } });
    feed.stored.set(id, {
      stage: 'checks',
      checks_done: 2,
      checks_total: 5,
      reached: ['installing', 'pod_starting', 'checks'],
    });
    const reading = readEvents(h, id);
    while (!feed.listeners.has(id)) await new Promise((r) => setTimeout(r, 10));
    const live = feed.listeners.get(id)!;
    live({ kind: 'progress', progress: { stage: 'pod_starting' } }); // older than what was replayed
    live({ kind: 'progress', progress: { stage: 'checks', checks_done: 2, checks_total: 5 } }); // a repeat
    live({ kind: 'progress', progress: { stage: 'checks', checks_done: 3, checks_total: 5 } });
    await complete(id);
    live({ kind: 'ended' });

    const { status, events } = await reading;
    expect(status).toBe(200);
    expect(events).toEqual([
      { event: 'progress', data: { stage: 'installing' } },
      { event: 'progress', data: { stage: 'pod_starting' } },
      { event: 'progress', data: { stage: 'checks', checks_done: 2, checks_total: 5 } },
      { event: 'progress', data: { stage: 'checks', checks_done: 3, checks_total: 5 } },
      { event: 'done', data: { status: 'completed', overall: 100 } },
    ]);
  });

  it('a queued submission starts with queued; an ended one gets only done', async () => {
    const id = await submit();
    const reading = readEvents(h, id);
    while (!feed.listeners.has(id)) await new Promise((r) => setTimeout(r, 10));
    await complete(id);
    feed.listeners.get(id)!({ kind: 'ended' });
    expect((await reading).events.map((e) => e.event === 'done' || e.data.stage)).toEqual(['queued', true]);
    expect((await readEvents(h, id)).events).toEqual([
      { event: 'done', data: { status: 'completed', overall: 100 } },
    ]);
  });

  it("hides the score in done where the assessment's feedback tier is none", async () => {
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'events test');
    const owner = { Authorization: `Bearer ${key.token}` };
    const assessment = await request(h.app)
      .post('/v1/assessments')
      .set(owner)
      .send({
        title: 'No feedback',
        challenge_ids: [CHALLENGE_ID],
        time_limit_ms: 600_000,
        feedback: 'none',
      });
    expect(assessment.status).toBe(201);
    const invites = await request(h.app)
      .post(`/v1/assessments/${assessment.body.id}/invites`)
      .set(owner)
      .send({ candidates: [{ email: 'c@example.com' }] });
    const started = await request(h.app).post(`/v1/invites/${invites.body.data[0].token}/start`);
    expect(started.status).toBe(201);
    const id = await submit({ Authorization: `Bearer ${started.body.session_token}` });
    await complete(id);
    expect((await readEvents(h, id)).events).toEqual([
      { event: 'done', data: { status: 'completed', overall: null } },
    ]);
  });

  it('an unknown submission is a 404 problem before any stream starts', async () => {
    const res = await request(h.app).get('/v1/submissions/00000000-0000-4000-8000-000000000000/events');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe(problemType('SUBMISSION_NOT_FOUND'));
  });
});
