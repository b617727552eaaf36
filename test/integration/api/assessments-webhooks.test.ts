/**
 * Organisation key → assessment → 3 invites → two candidates start and submit → the runner's completion hook
 * publishes signed webhooks to a real receiver on 127.0.0.1 (down for its first 3 requests) → results and
 * CSV; `/metrics` counts each delivery attempt (3 retries, then every delivery). Gradings are not run here: each submission's report is built by the runner's own `buildReport` (one
 * pass, one fail) and stored the way the runner stores it, then the runner's hook is called.
 */
import crypto from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { issueApiKey } from '../../../api/domain/issue-api-key';
import { sweepInvites } from '../../../api/domain/lifecycle-sweep';
import { tokenSha256 } from '../../../api/domain/invite-token';
import { startDeliveryWorker } from '../../../api/webhooks/delivery-worker';
import { challengeManifestSchema } from '../../../runner/contract/challenge-manifest.schema';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { buildReport } from '../../../runner/grading/build-report';
import { keyIdOf, signReport, verifyReport } from '../../../runner/signing/report-signature';
import type { GradeReport } from '../../../runner/contract/grade-result.schema';
import { validateJunit } from '../../support/junit-schema';
import { graderCheck, podOutcome } from '../../support/report-fixtures';
import { FIXTURE_OWNER, manifestFixture } from '../../unit/api/fixtures/challenge-fixture';
import { binaryParser, CHALLENGE_ID, metricSample, startHarness, VALID_FILES, type Harness } from './support';

interface Received {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** A webhook receiver written against the Standard Webhooks spec: verifies with the `standardwebhooks` package. */
function startReceiver(failFirst: number): Promise<{
  server: Server;
  url: string;
  received: Received[];
  requests: () => number;
  setSecret: (s: string) => void;
}> {
  let secret = '';
  let count = 0;
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count++;
      if (count <= failFirst) {
        res.writeHead(503).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as {
          type: string;
          data: Record<string, unknown>;
        };
        const id = String(req.headers['webhook-id']);
        if (!received.some((r) => r.id === id)) received.push({ id, type: payload.type, data: payload.data });
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => ({
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    requests: () => count,
    setSecret: (s: string) => {
      secret = s;
    },
  }));
}

/** The runner's signing key in this test (a runner publishes its public half when it starts). */
const signer = crypto.generateKeyPairSync('ed25519');

/** A report signed the way GradingEnvironment signs it. */
function report(pass: boolean): NonNullable<SubmissionDocument['report']> {
  const manifest = challengeManifestSchema.parse(manifestFixture(CHALLENGE_ID));
  return signReport(
    buildReport(manifest, {
      outcome: podOutcome(manifest.checks.map((c) => graderCheck(c.id, pass ? 'pass' : 'fail'))),
      setupFailure: null,
      runtime: 'runsc',
      timingsMs: {},
    }),
    signer.privateKey,
  );
}

async function waitFor(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('assessments, invites and signed webhooks', () => {
  let h: Harness;
  let worker: Worker;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    h = await startHarness({ deliveryPolicy: { attempts: 8, baseDelayMs: 50 }, operations: {} });
    await h.org.ensureIndexes();
    const metrics = h.operations!.metrics;
    // Wired as api/main.ts wires the API's own delivery worker.
    worker = startDeliveryWorker({
      store: h.org.webhookStore,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      queueName: h.org.dispatcher.queue.name,
      logger: h.logger,
      onAttempt: (outcome) => metrics.webhookDeliveries.inc({ outcome }),
    });
    receiver = await startReceiver(3);
    await h.org.signingKeys.publish(
      keyIdOf(signer.publicKey),
      signer.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
  });

  afterAll(async () => {
    await worker.close();
    receiver.server.close();
    await h.close();
  });

  it('runs the whole flow through HTTP; a receiver down for 3 requests gets every event once per id', async () => {
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'hiring');
    const auth = { Authorization: `Bearer ${key.token}` };

    const hook = await request(h.app)
      .post('/v1/webhooks')
      .set(auth)
      .send({
        url: receiver.url,
        events: ['submission.completed', 'assessment.completed', 'invite.expired'],
      });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    receiver.setSecret(hook.body.secret as string);
    const attempts = async (outcome: string): Promise<number | undefined> =>
      metricSample(
        (await request(h.app).get('/metrics').expect(200)).text,
        `stackgrade_webhook_deliveries_total{outcome="${outcome}"}`,
      );
    const before = { delivered: await attempts('delivered'), retry: await attempts('retry') };
    expect(before).toEqual({ delivered: 0, retry: 0 });

    const created = await request(h.app)
      .post('/v1/assessments')
      .set(auth)
      .send({
        title: 'Backend hire',
        challenge_ids: [CHALLENGE_ID],
        time_limit_ms: 3_600_000,
        max_attempts: 1,
      });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/v1/assessments/${created.body.id}`);
    const aid = created.body.id as string;

    const invited = await request(h.app)
      .post(`/v1/assessments/${aid}/invites`)
      .set(auth)
      .send({
        candidates: [
          { email: 'ada@example.com', name: 'Ada' },
          { email: 'bob@example.com' },
          { email: 'cy@example.com' },
        ],
      });
    expect(invited.status).toBe(201);
    const invites = invited.body.data as { id: string; token: string; link: string }[];
    expect(invites).toHaveLength(3);
    for (const i of invites) {
      expect(i.token).toMatch(/^sgi_[A-Za-z0-9_-]{43}$/);
      expect(i.link).toBe(`http://127.0.0.1:8080/v1/invites/${i.token}`);
      const stored = await h.db.collection('invites').findOne({ _id: i.id as never });
      expect(stored?.token_sha256).toBe(tokenSha256(i.token));
      expect(JSON.stringify(stored)).not.toContain(i.token);
    }
    const listed = await request(h.app).get(`/v1/assessments/${aid}/invites`).set(auth);
    expect(JSON.stringify(listed.body)).not.toContain('sgi_');

    // Two candidates start (the token's single use) and submit.
    const sessions: string[] = [];
    for (const i of invites.slice(0, 2)) {
      const preview = await request(h.app).get(`/v1/invites/${i.token}`);
      expect(preview.body).toMatchObject({ status: 'pending', assessment: { title: 'Backend hire' } });
      const started = await request(h.app).post(`/v1/invites/${i.token}/start`);
      expect(started.status).toBe(201);
      expect(started.body.session_token).toMatch(/^sgs_/);
      sessions.push(started.body.session_token as string);
      const again = await request(h.app).post(`/v1/invites/${i.token}/start`);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INVITE_USED');
    }
    const starter = await request(h.app).get(`/v1/challenges/${CHALLENGE_ID}/starter`);
    expect(starter.status).toBe(200);

    const submissionIds: string[] = [];
    for (const [n, session] of sessions.entries()) {
      const sub = await request(h.app)
        .post('/v1/submissions')
        .set('Authorization', `Bearer ${session}`)
        .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
      expect(sub.status).toBe(202);
      submissionIds.push(sub.body.id as string);
      // The runner stores the report, then calls its completion hook.
      await h.db
        .collection<SubmissionDocument>('submissions')
        .updateOne({ _id: sub.body.id }, { $set: { status: 'completed', report: report(n === 0) } });
      await h.org.submissionFinished(sub.body.id as string);
    }
    // One attempt allowed: a second submission is refused, and no document is stored for it.
    const extra = await request(h.app)
      .post('/v1/submissions')
      .set('Authorization', `Bearer ${sessions[0]}`)
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    expect(extra.status).toBe(409);
    expect(extra.body.code).toBe('ASSESSMENT_OVER');
    expect((await h.counts()).submissions).toBe(2);

    // Feedback tier `scores` (the default): the candidate sees scores, not the checks.
    const seen = await request(h.app).get(`/v1/submissions/${submissionIds[0]}`);
    expect(seen.body).toMatchObject({ feedback: 'scores', report: null, scores: { overall: 100 } });

    // The third invite expires unused.
    await h.db
      .collection('invites')
      .updateOne({ _id: invites[2]!.id as never }, { $set: { expires_at: new Date(0) } });
    expect(
      await sweepInvites({
        invites: h.org.invites,
        assessments: h.org.assessments,
        events: h.org.dispatcher,
      }),
    ).toEqual({
      expired: 1,
      timedOut: 0,
    });

    // 2 × submission.completed, 2 × assessment.completed (attempts used), 1 × invite.expired.
    await waitFor(() => receiver.received.length === 5, 'five webhook events');
    const types = receiver.received.map((r) => r.type).sort();
    expect(types).toEqual([
      'assessment.completed',
      'assessment.completed',
      'invite.expired',
      'submission.completed',
      'submission.completed',
    ]);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(5);
    expect(receiver.requests()).toBe(5 + 3);
    // The worker counts an attempt once it is recorded: wait for the last one, then every outcome is in.
    await waitFor(async () => (await attempts('delivered')) === 5, 'five delivered attempts in /metrics');
    expect(await attempts('retry')).toBe(3);
    expect(await attempts('failed')).toBe(0);
    const verdicts = receiver.received
      .filter((r) => r.type === 'submission.completed')
      .map((r) => r.data.verdict)
      .sort();
    expect(verdicts).toEqual(['fail', 'pass']);

    const log = await request(h.app).get(`/v1/webhooks/${hook.body.id}/deliveries`).set(auth);
    expect(log.status).toBe(200);
    const deliveries = log.body.data as { id: string; status: string; attempts: { status: number }[] }[];
    expect(deliveries).toHaveLength(5);
    expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
    expect(deliveries.flatMap((d) => d.attempts).filter((a) => a.status === 503)).toHaveLength(3);

    // A redelivery on request sends the same webhook-id again.
    const first = deliveries[0]!;
    const redo = await request(h.app)
      .post(`/v1/webhooks/${hook.body.id}/deliveries/${first.id}/redeliver`)
      .set(auth);
    expect(redo.status).toBe(202);
    await waitFor(() => receiver.requests() === 9, 'the redelivery');
    await waitFor(async () => (await attempts('delivered')) === 6, 'the redelivery in /metrics');
    expect(receiver.received).toHaveLength(5);

    // Results and CSV.
    const results = await request(h.app).get(`/v1/assessments/${aid}/results`).set(auth);
    expect(results.status).toBe(200);
    const rows = results.body.data as {
      candidate: { email: string };
      status: string;
      challenges: { verdict: string | null }[];
    }[];
    expect(rows.map((r) => [r.candidate.email, r.status, r.challenges[0]!.verdict])).toEqual([
      ['ada@example.com', 'completed', 'pass'],
      ['bob@example.com', 'completed', 'fail'],
      ['cy@example.com', 'expired', null],
    ]);
    const csv = await request(h.app).get(`/v1/assessments/${aid}/results.csv`).set(auth);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^"invite_id","email","name","status",/);
    expect(lines[1]).toContain('"ada@example.com","Ada","completed"');

    // The stored reports verify with the key the API publishes, after their round trip through the store.
    const keys = await request(h.app).get('/v1/signing-key');
    expect(keys.status).toBe(200);
    const trusted = (keys.body.keys as { key_id: string; public_key_pem: string }[]).map((k) =>
      crypto.createPublicKey(k.public_key_pem),
    );
    expect(trusted.map(keyIdOf)).toContain(keyIdOf(signer.publicKey));
    const failed = submissionIds[1]!;
    const owner = await request(h.app).get(`/v1/submissions/${failed}?view=owner`).set(auth);
    expect(verifyReport(owner.body.report as GradeReport, trusted)).toMatchObject({ ok: true });
    const forged = { ...(owner.body.report as GradeReport), status: 'pass' as const };
    expect(verifyReport(forged, trusted)).toMatchObject({ ok: false, problem: 'bad_signature' });

    // JUnit XML of the failed candidate's report: valid against the schema, with its failures.
    const xml = await request(h.app)
      .get(`/v1/submissions/${failed}/report.xml`)
      .set(auth)
      .buffer(true)
      .parse(binaryParser);
    expect(xml.status).toBe(200);
    expect(xml.headers['content-type']).toMatch(/^application\/xml/);
    const junit = (xml.body as Buffer).toString('utf8');
    expect((await validateJunit(junit)).errors).toEqual([]);
    expect(junit).toContain('<failure ');
    expect(junit).toContain(`name="stackgrade.submission_id" value="${failed}"`);
    expect((await request(h.app).get(`/v1/submissions/${failed}/report.xml`)).status).toBe(401);
    const stranger = await issueApiKey(h.apiKeys, 'other-org', 'stranger');
    const hidden = await request(h.app)
      .get(`/v1/submissions/${failed}/report.xml`)
      .set('Authorization', `Bearer ${stranger.token}`);
    expect(hidden.status).toBe(404);
  });

  it('refuses a key without the scope (403), an open submission where the owner closed them (403), and a wrong organisation (404)', async () => {
    const reader = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'read only', ['assessments:read']);
    const res = await request(h.app)
      .post('/v1/assessments')
      .set('Authorization', `Bearer ${reader.token}`)
      .send({ title: 't', challenge_ids: [CHALLENGE_ID], time_limit_ms: 60_000 });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('INSUFFICIENT_SCOPE');

    const admin = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'admin');
    const off = await request(h.app)
      .put(`/v1/challenges/${CHALLENGE_ID}/settings`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ open_submissions: false });
    expect(off.status).toBe(200);
    const anon = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    expect(anon.status).toBe(403);
    expect(anon.body.code).toBe('OPEN_SUBMISSIONS_CLOSED');
    const other = await issueApiKey(h.apiKeys, 'globex', 'other');
    const theirs = await request(h.app)
      .put(`/v1/challenges/${CHALLENGE_ID}/settings`)
      .set('Authorization', `Bearer ${other.token}`)
      .send({ open_submissions: true });
    expect(theirs.status).toBe(404);
    await request(h.app)
      .put(`/v1/challenges/${CHALLENGE_ID}/settings`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ open_submissions: true });
  });
});
