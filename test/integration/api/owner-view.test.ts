/**
 * API keys and the owner's view of a report: the real app on a real MongoDB-compatible store (FerretDB),
 * a report built by the runner's own `buildReport` for the fixture challenge (owner `acme`).
 */
import request from 'supertest';
import { issueApiKey } from '../../../api/domain/issue-api-key';
import { challengeManifestSchema } from '../../../runner/contract/challenge-manifest.schema';
import { HIDDEN_CHECK_MESSAGE } from '../../../runner/contract/redact-report';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { buildReport } from '../../../runner/grading/build-report';
import { graderCheck, podOutcome } from '../../support/report-fixtures';
import { FIXTURE_OWNER, manifestFixture } from '../../unit/api/fixtures/challenge-fixture';
import { binaryParser, CHALLENGE_ID, startHarness, VALID_FILES, type Harness } from './support';

const EVIDENCE = { request: 'GET /hello', response: { status: 500, body: 'TypeError at server.js:3' } };

/** A graded report of the fixture challenge: `hello-get` (hint) and `no-leak` (hidden) both failed with evidence. */
function gradedReport(): NonNullable<SubmissionDocument['report']> {
  const manifest = challengeManifestSchema.parse(manifestFixture(CHALLENGE_ID));
  return buildReport(manifest, {
    outcome: podOutcome(manifest.checks.map((c) => graderCheck(c.id, 'fail', { evidence: EVIDENCE }))),
    setupFailure: null,
    runtime: 'runsc',
    timingsMs: {},
  });
}

describe('GET /v1/submissions/:id?view=owner', () => {
  let h: Harness;
  let location: string;

  beforeAll(async () => {
    h = await startHarness();
    const created = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    expect(created.status).toBe(202);
    location = created.headers.location!;
    await h.db
      .collection<SubmissionDocument>('submissions')
      .updateOne({ _id: created.body.id }, { $set: { status: 'completed', report: gradedReport() } });
  });

  afterAll(() => h.close());

  it("serves the full report, evidence of hint and hidden checks included, to the challenge owner's key", async () => {
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'owner-view test');
    const res = await request(h.app)
      .get(`${location}?view=owner`)
      .set('Authorization', `Bearer ${key.token}`);
    expect(res.status).toBe(200);
    expect(res.body.view).toBe('owner');
    const tests = res.body.report.tests as { id: string; message: string; evidence?: unknown }[];
    expect(tests.map((t) => t.id)).toEqual(['hello-get', 'no-leak']);
    expect(tests.map((t) => t.evidence)).toEqual([EVIDENCE, EVIDENCE]);
    expect(tests[1]!.message).toBe('no-leak failed');
  });

  it('serves the redacted candidate view by default, with or without a key', async () => {
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'owner-view test');
    for (const auth of [undefined, `Bearer ${key.token}`]) {
      const req = request(h.app).get(location);
      const res = await (auth ? req.set('Authorization', auth) : req);
      expect(res.status).toBe(200);
      expect(res.body.view).toBe('candidate');
      const tests = res.body.report.tests as { id: string; message: string; evidence?: unknown }[];
      expect(tests.map((t) => t.id)).toEqual(['hello-get', 'hidden-2']);
      expect(tests.every((t) => t.evidence === undefined)).toBe(true);
      expect(tests[1]!.message).toBe(HIDDEN_CHECK_MESSAGE);
    }
  });

  it('answers 401 problem+json with WWW-Authenticate without a key, with a malformed, unknown, wrong or revoked one', async () => {
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'to revoke');
    const revoked = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'revoked');
    expect(await h.apiKeys.revokeKey(revoked.id, new Date())).toBe(true);
    const wrongSecret =
      `${key.token.slice(0, -4)}AAAA` === key.token
        ? `${key.token.slice(0, -4)}BBBB`
        : `${key.token.slice(0, -4)}AAAA`;
    const unknown = `sg_0123456789abcdef_${'x'.repeat(43)}`;
    const cases: (string | undefined)[] = [
      undefined,
      'Bearer',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      'Bearer not-a-key',
      `Bearer ${unknown}`,
      `Bearer ${wrongSecret}`,
      `Bearer ${revoked.token}`,
    ];
    for (const auth of cases) {
      const req = request(h.app).get(`${location}?view=owner`);
      const res = await (auth ? req.set('Authorization', auth) : req);
      expect({ auth, status: res.status }).toEqual({ auth, status: 401 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        code: 'UNAUTHENTICATED',
        type: 'https://stackgrade.dev/problems/unauthenticated',
      });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="stackgrade"/);
    }
    // A key that is sent is verified on every route, not ignored: a bad one is refused even where none is needed.
    const bad = await request(h.app).get('/v1/challenges').set('Authorization', `Bearer ${revoked.token}`);
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer realm="stackgrade", error="invalid_token"');
  });

  it("answers 404 to another organisation's key, 403 to a key without results:read, 404 for an unknown submission", async () => {
    const other = await issueApiKey(h.apiKeys, 'globex', 'other owner');
    const res = await request(h.app)
      .get(`${location}?view=owner`)
      .set('Authorization', `Bearer ${other.token}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'SUBMISSION_NOT_FOUND' });
    expect(JSON.stringify(res.body)).not.toContain('TypeError');
    const unscoped = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'no results scope', ['assessments:read']);
    const refused = await request(h.app)
      .get(`${location}?view=owner`)
      .set('Authorization', `Bearer ${unscoped.token}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
    const mine = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'owner');
    const missing = await request(h.app)
      .get('/v1/submissions/00000000-0000-4000-8000-000000000000?view=owner')
      .set('Authorization', `Bearer ${mine.token}`);
    expect(missing.status).toBe(404);
  });

  it('serves report.xml to the owner, 409 REPORT_NOT_READY before a report, 403 without results:read', async () => {
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'junit');
    const xml = await request(h.app)
      .get(`${location}/report.xml`)
      .set('Authorization', `Bearer ${key.token}`)
      .buffer(true)
      .parse(binaryParser);
    expect(xml.status).toBe(200);
    // The owner's full report: the hidden check keeps its id and real message.
    expect((xml.body as Buffer).toString('utf8')).toMatch(
      /<testcase name="[^"]*\[no-leak\]"[^>]*>\s*<failure message="no-leak failed"/,
    );
    const queued = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    const notReady = await request(h.app)
      .get(`${queued.headers.location!}/report.xml`)
      .set('Authorization', `Bearer ${key.token}`);
    expect(notReady.status).toBe(409);
    expect(notReady.body).toMatchObject({
      code: 'REPORT_NOT_READY',
      type: 'https://stackgrade.dev/problems/report-not-ready',
    });
    const unscoped = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'no results scope', ['assessments:read']);
    const refused = await request(h.app)
      .get(`${location}/report.xml`)
      .set('Authorization', `Bearer ${unscoped.token}`);
    expect(refused.status).toBe(403);
  });

  it('answers 422 for an unknown view', async () => {
    const res = await request(h.app).get(`${location}?view=admin`);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('stores only the SHA-256 of a key secret', async () => {
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'stored form');
    const doc = await h.db.collection('api_keys').findOne({ _id: key.id as never });
    expect(doc).toMatchObject({ owner: FIXTURE_OWNER, name: 'stored form', revoked_at: null });
    expect(doc?.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(doc)).not.toContain(key.token.slice(-43));
  });
});
