/**
 * The web app's reviewer session (`/v1/reviewer-session`): sign-in with an organisation's API key behind a
 * CSRF token, an HttpOnly SameSite=Strict cookie that stands in for the key on reads only, with the key's
 * scopes, ended by sign-out or by revoking the key. The real app on the real store (FerretDB).
 */
import request from 'supertest';
import { issueApiKey } from '../../../api/domain/issue-api-key';
import { problemType } from '../../../runner/contract/error-codes';
import { FIXTURE_OWNER } from '../../unit/api/fixtures/challenge-fixture';
import { CHALLENGE_ID, startHarness, VALID_FILES, type Harness } from './support';

describe('reviewer session (/v1/reviewer-session)', () => {
  let h: Harness;
  let submissionId: string;

  beforeAll(async () => {
    h = await startHarness();
    const created = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    expect(created.status).toBe(202);
    submissionId = created.body.id as string;
  });

  afterAll(() => h.close());

  /** A browser-like agent (keeps cookies) with the CSRF token of its first GET. */
  async function browser(): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }> {
    const agent = request.agent(h.app);
    const res = await agent.get('/v1/reviewer-session');
    expect(res.status).toBe(200);
    expect(res.body.reviewer).toBeNull();
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sg_csrf='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    return { agent, csrf: res.body.csrf_token as string };
  }

  it('refuses a sign-in without the CSRF token (403 CSRF_INVALID) and with an unknown key (401)', async () => {
    const { agent, csrf } = await browser();
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'reviewer test');
    const noCsrf = await agent.post('/v1/reviewer-session').send({ api_key: key.token });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(noCsrf.body.type).toBe(problemType('CSRF_INVALID'));
    const wrong = await agent
      .post('/v1/reviewer-session')
      .set('X-CSRF-Token', csrf)
      .send({ api_key: 'sg_nope_nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.type).toBe(problemType('UNAUTHENTICATED'));
    expect((await agent.get('/v1/reviewer-session')).body.reviewer).toBeNull();
  });

  it("signs in, reads the organisation's results with the cookie, never writes with it, and signs out", async () => {
    const { agent, csrf } = await browser();
    const key = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'reviewer test');
    const signIn = await agent
      .post('/v1/reviewer-session')
      .set('X-CSRF-Token', csrf)
      .send({ api_key: key.token });
    expect(signIn.status).toBe(200);
    expect(signIn.body.reviewer).toMatchObject({ organisation: FIXTURE_OWNER });
    const session = (signIn.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('sg_session='),
    );
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);

    const list = await agent.get('/v1/submissions');
    expect(list.status).toBe(200);
    expect(list.body.data.map((r: { id: string }) => r.id)).toContain(submissionId);
    expect((await agent.get(`/v1/submissions/${submissionId}?view=owner`)).status).toBe(200);

    // The cookie is no credential for a write: a cross-site form could otherwise use it.
    const write = await agent
      .post('/v1/assessments')
      .send({ title: 'x', challenge_ids: [CHALLENGE_ID], time_limit_ms: 60_000 });
    expect(write.status).toBe(401);
    // The candidate's session route is not the reviewer's.
    expect((await agent.get('/v1/session')).status).toBe(401);

    const out = await agent.delete('/v1/reviewer-session').set('X-CSRF-Token', csrf);
    expect(out.status).toBe(204);
    expect((await agent.get('/v1/reviewer-session')).body.reviewer).toBeNull();
    expect((await agent.get('/v1/submissions')).status).toBe(401);
  });

  it("carries the key's scopes, and revoking the key ends the session", async () => {
    const { agent, csrf } = await browser();
    const narrow = await issueApiKey(h.apiKeys, FIXTURE_OWNER, 'reviewer test', ['assessments:read']);
    await agent.post('/v1/reviewer-session').set('X-CSRF-Token', csrf).send({ api_key: narrow.token });
    const denied = await agent.get('/v1/submissions');
    expect(denied.status).toBe(403);
    expect(denied.body.type).toBe(problemType('INSUFFICIENT_SCOPE'));
    expect((await agent.get('/v1/assessments')).status).toBe(200);

    await h.apiKeys.revokeKey(narrow.id, new Date());
    expect((await agent.get('/v1/reviewer-session')).body.reviewer).toBeNull();
    expect((await agent.get('/v1/assessments')).status).toBe(401);
  });
});
