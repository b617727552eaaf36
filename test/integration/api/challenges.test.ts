import request, { type Response } from 'supertest';
import { challengeDetailViewSchema, challengeListViewSchema } from '../../../api/schemas/challenge.schema';
import { problemType } from '../../../runner/contract/error-codes';
import { STARTER_PACKAGE_JSON, STATEMENT } from '../../unit/api/fixtures/challenge-fixture';
import { binaryParser, CHALLENGE_ID, startHarness, untarGz, type Harness } from './support';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

const summary = {
  id: CHALLENGE_ID,
  version: 2,
  title: `Challenge ${CHALLENGE_ID}`,
  summary: 'Say hello over HTTP.',
  runtimes: ['node22'],
  categories: { correctness: 70, api_design: 0, query_optimization: 0, security: 30, performance: 0 },
  links: { self: `/v1/challenges/${CHALLENGE_ID}`, starter: `/v1/challenges/${CHALLENGE_ID}/starter` },
};

describe('GET /v1/challenges', () => {
  it('GET /v1/challenges, for a catalog of one challenge, responds 200 with its summary and links', async () => {
    const res = await request(h.app).get('/v1/challenges');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(challengeListViewSchema.parse(res.body)).toEqual({ data: [summary] });
  });
});

describe('GET /v1/challenges/:id', () => {
  it('GET /v1/challenges/:id, for a known challenge, responds 200 with statement and checks without visibility', async () => {
    const res = await request(h.app).get(`/v1/challenges/${CHALLENGE_ID}`);
    expect(res.status).toBe(200);
    expect(challengeDetailViewSchema.parse(res.body)).toEqual({
      ...summary,
      statement: STATEMENT,
      starters: [{ runtime: 'node22', href: `/v1/challenges/${CHALLENGE_ID}/starter?runtime=node22` }],
      checks: [
        { id: 'hello-get', title: 'GET /hello answers', category: 'correctness', weight: 2, practice: false },
        {
          id: 'no-leak',
          title: 'No stack traces in errors',
          category: 'security',
          weight: 1,
          practice: false,
        },
      ],
      // No practice checks: no practice run, whatever the organisation's settings.
      practice_allowed: false,
    });
    expect(JSON.stringify(res.body)).not.toContain('visibility');
  });

  it('GET /v1/challenges/:id, for an unknown challenge, responds 404 CHALLENGE_NOT_FOUND', async () => {
    const res = await request(h.app).get('/v1/challenges/nope');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: problemType('CHALLENGE_NOT_FOUND'),
      instance: '/v1/challenges/nope',
    });
  });
});

describe('GET /v1/challenges/:id/starter', () => {
  it('GET /v1/challenges/:id/starter, for a known challenge, responds with a tar.gz attachment of the starter', async () => {
    const res: Response = await request(h.app)
      .get(`/v1/challenges/${CHALLENGE_ID}/starter`)
      .buffer(true)
      .parse(binaryParser);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${CHALLENGE_ID}-starter.tar.gz"`);
    const files = await untarGz(res.body as Buffer);
    expect(files).toEqual({
      'package.json': STARTER_PACKAGE_JSON,
      'src/index.js': "console.log('hello');\n",
    });
  });

  it('GET /v1/challenges/:id/starter, when asked twice, serves identical bytes', async () => {
    const get = () =>
      request(h.app).get(`/v1/challenges/${CHALLENGE_ID}/starter`).buffer(true).parse(binaryParser);
    const [a, b] = [await get(), await get()];
    expect(Buffer.compare(a.body as Buffer, b.body as Buffer)).toBe(0);
  });

  it('GET /v1/challenges/:id/starter?runtime=, picks the starter of that runtime: the same bytes for node22, 404 for one it has none for, 422 for no runtime', async () => {
    const get = (q: string) =>
      request(h.app).get(`/v1/challenges/${CHALLENGE_ID}/starter${q}`).buffer(true).parse(binaryParser);
    const [plain, node, go, bad] = await Promise.all([
      get(''),
      get('?runtime=node22'),
      get('?runtime=go'),
      get('?runtime=cobol'),
    ]);
    expect(node.status).toBe(200);
    expect(node.headers['content-disposition']).toBe(
      `attachment; filename="${CHALLENGE_ID}-starter-node22.tar.gz"`,
    );
    expect(Buffer.compare(node.body as Buffer, plain.body as Buffer)).toBe(0);
    expect([go.status, bad.status]).toEqual([404, 422]);
    expect(go.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('GET /v1/challenges/:id/starter, for an unknown challenge, responds 404 CHALLENGE_NOT_FOUND', async () => {
    const res = await request(h.app).get('/v1/challenges/nope/starter');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('CHALLENGE_NOT_FOUND');
  });

  it('DELETE /v1/challenges/:id/starter, on a known path with the wrong method, responds 405 with Allow', async () => {
    const res = await request(h.app).delete(`/v1/challenges/${CHALLENGE_ID}/starter`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});

describe('GET /healthz', () => {
  it('GET /healthz, when MongoDB answers, responds 200 { status: ok }', async () => {
    const res = await request(h.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});
