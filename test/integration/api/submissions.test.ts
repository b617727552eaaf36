import { createHash } from 'node:crypto';
import request, { type Response } from 'supertest';
import { Binary } from 'mongodb';
import { readArchive } from '../../../runner/archive';
import { problemType, type ErrorCode } from '../../../runner/contract/error-codes';
import { gradeJobId } from '../../../runner/contract/queue-names';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { filesAsText } from '../../support/submission-fixtures';
import { submissionAcceptedSchema, submissionViewSchema } from '../../../api/schemas/submission.schema';
import {
  CHALLENGE_ID,
  makeTarGz,
  makeZip,
  startHarness,
  TEST_MAX_UPLOAD_BYTES,
  untarGz,
  VALID_FILES,
  type Harness,
} from './support';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

function expectProblem(res: Response, status: number, code: ErrorCode): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: problemType(code),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.stringMatching(/^\//),
  });
}

/** `POST /v1/submissions?challenge_id=<the harness challenge>` with a raw body of this Content-Type. */
function postRaw(contentType: string, body: Buffer | string): request.Test {
  return request(h.app)
    .post(`/v1/submissions?challenge_id=${CHALLENGE_ID}`)
    .set('Content-Type', contentType)
    .send(body);
}

/** Sends a request and checks nothing was stored or enqueued because of it. */
async function expectNothingStored(send: () => Promise<Response>): Promise<Response> {
  const before = await h.counts();
  const res = await send();
  expect(await h.counts()).toEqual(before);
  return res;
}

/**
 * Checks a 202 and what it stored: the queued document, a tar.gz archive the runner's reader turns into
 * `expectedFiles`, and the job. A tar.gz upload (`uploaded`) is stored byte for byte as received; any other
 * upload is stored packed (a plain tar reader sees exactly `expectedFiles`).
 */
async function expectAcceptedAndStored(
  res: Response,
  expectedFiles: Record<string, string>,
  uploaded?: Buffer,
): Promise<string> {
  expect(res.status).toBe(202);
  const body = submissionAcceptedSchema.parse(res.body);
  expect(body).toMatchObject({
    status: 'queued',
    challenge_id: CHALLENGE_ID,
    links: { self: `/v1/submissions/${body.id}` },
  });
  expect(res.headers.location).toBe(`/v1/submissions/${body.id}`);

  const doc = await h.db.collection<SubmissionDocument>('submissions').findOne({ _id: body.id });
  expect(doc).toMatchObject({
    _id: body.id,
    challenge_id: CHALLENGE_ID,
    challenge_version: 2,
    status: 'queued',
    attempt: 0,
    leased_by: null,
    lease_until: null,
    report: null,
    error: null,
  });
  expect(doc?.created_at.toISOString()).toBe(body.created_at);

  const archive = await h.db
    .collection<{ _id: string; data: Binary; format: string }>('archives')
    .findOne({ _id: body.id });
  expect(archive?.format).toBe('tar.gz');
  const bytes = Buffer.from(archive!.data.buffer);
  expect(doc?.archive_bytes).toBe(bytes.length);
  expect(doc?.archive_sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  if (uploaded) expect(bytes.equals(uploaded)).toBe(true);
  else expect(await untarGz(bytes)).toEqual(expectedFiles);
  const read = await readArchive({ format: 'tar.gz', data: bytes });
  expect(filesAsText(read)).toEqual(expectedFiles);

  const job = await h.queue.queue.getJob(gradeJobId(body.id));
  expect(job?.id).toBe(`sub-${body.id}`);
  expect(job?.data).toEqual({ submissionId: body.id });
  expect(job?.opts).toMatchObject({
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
    removeOnComplete: { age: 86400, count: 10000 },
    removeOnFail: { age: 604800 },
  });
  return body.id;
}

describe('POST /v1/submissions', () => {
  it('POST /v1/submissions, when given JSON files, responds 202 with Location, stores the document and archive, and enqueues sub-<id>', async () => {
    const res = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    await expectAcceptedAndStored(res, VALID_FILES);
  });

  it('POST /v1/submissions, when given a JSON base64 tar.gz, responds 202 and stores it as received', async () => {
    const tgz = await makeTarGz(VALID_FILES);
    const res = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, archive: { format: 'tar.gz', base64: tgz.toString('base64') } });
    await expectAcceptedAndStored(res, VALID_FILES, tgz);
  });

  it('POST /v1/submissions, when given a JSON base64 zip, responds 202 and stores it as tar.gz', async () => {
    const zip = await makeZip(VALID_FILES);
    const res = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, archive: { format: 'zip', base64: zip.toString('base64') } });
    await expectAcceptedAndStored(res, VALID_FILES);
  });

  it.each(['application/gzip', 'application/x-gzip', 'application/x-tar+gzip'])(
    'POST /v1/submissions, when given a raw tar.gz body as %s, responds 202',
    async (contentType) => {
      const tgz = await makeTarGz(VALID_FILES);
      const res = await postRaw(contentType, tgz);
      await expectAcceptedAndStored(res, VALID_FILES, tgz);
    },
  );

  it('POST /v1/submissions, when given a raw zip body, responds 202', async () => {
    const res = await postRaw('application/zip', await makeZip(VALID_FILES));
    await expectAcceptedAndStored(res, VALID_FILES);
  });

  it('POST /v1/submissions, when the archive wraps the project in one folder, responds 202 and the runner reads it unwrapped', async () => {
    const wrapped = Object.fromEntries(Object.entries(VALID_FILES).map(([k, v]) => [`my-api/${k}`, v]));
    const tgz = await makeTarGz(wrapped);
    const res = await postRaw('application/gzip', tgz);
    await expectAcceptedAndStored(res, VALID_FILES, tgz);
  });

  it('POST /v1/submissions, when the body is malformed JSON, responds 400 MALFORMED_REQUEST and stores nothing', async () => {
    const res = await expectNothingStored(() =>
      request(h.app)
        .post('/v1/submissions')
        .set('Content-Type', 'application/json')
        .send('{"challenge_id": '),
    );
    expectProblem(res, 400, 'MALFORMED_REQUEST');
  });

  it.each([
    ['challenge_id is a number', { challenge_id: 7, files: VALID_FILES }, ['challenge_id']],
    [
      'a file content is not a string',
      { challenge_id: CHALLENGE_ID, files: { 'package.json': 1 } },
      ['files', 'package.json'],
    ],
    ['an unknown key is present', { challenge_id: CHALLENGE_ID, files: VALID_FILES, priority: 'high' }, []],
    ['neither files nor archive is given', { challenge_id: CHALLENGE_ID }, []],
    [
      'the archive format is unknown',
      { challenge_id: CHALLENGE_ID, archive: { format: 'rar', base64: 'AAAA' } },
      ['archive', 'format'],
    ],
    [
      'the base64 is invalid',
      { challenge_id: CHALLENGE_ID, archive: { format: 'zip', base64: '!!' } },
      ['archive', 'base64'],
    ],
    ['the body is an array', [1, 2], []],
  ])(
    'POST /v1/submissions, when %s, responds 422 VALIDATION_FAILED with errors and stores nothing',
    async (_what, body, path) => {
      const res = await expectNothingStored(() =>
        request(h.app)
          .post('/v1/submissions')
          .send(body as object),
      );
      expectProblem(res, 422, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([{ path, message: expect.any(String) }]));
    },
  );

  it('POST /v1/submissions, when the raw upload has no challenge_id, responds 422 VALIDATION_FAILED', async () => {
    const tgz = await makeTarGz(VALID_FILES);
    const res = await expectNothingStored(() =>
      request(h.app).post('/v1/submissions').set('Content-Type', 'application/gzip').send(tgz),
    );
    expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ path: ['challenge_id'], message: expect.any(String) }]);
  });

  it('POST /v1/submissions, when the challenge does not exist, responds 404 CHALLENGE_NOT_FOUND and stores nothing', async () => {
    const res = await expectNothingStored(() =>
      request(h.app).post('/v1/submissions').send({ challenge_id: 'no-such-challenge', files: VALID_FILES }),
    );
    expectProblem(res, 404, 'CHALLENGE_NOT_FOUND');
  });

  it('POST /v1/submissions, when the raw body exceeds MAX_UPLOAD_BYTES, responds 413 PAYLOAD_TOO_LARGE and stores nothing', async () => {
    const res = await expectNothingStored(() =>
      postRaw('application/gzip', Buffer.alloc(TEST_MAX_UPLOAD_BYTES + 1, 1)),
    );
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('POST /v1/submissions, when the JSON body exceeds 1.4 × MAX_UPLOAD_BYTES, responds 413 PAYLOAD_TOO_LARGE', async () => {
    const big = 'x'.repeat(Math.ceil(TEST_MAX_UPLOAD_BYTES * 1.4) + 10);
    const res = await expectNothingStored(() =>
      request(h.app)
        .post('/v1/submissions')
        .send({ challenge_id: CHALLENGE_ID, files: { ...VALID_FILES, big } }),
    );
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('POST /v1/submissions, when decoded base64 exceeds MAX_UPLOAD_BYTES though the body fits, responds 413 PAYLOAD_TOO_LARGE', async () => {
    const data = Buffer.alloc(TEST_MAX_UPLOAD_BYTES + 100, 7);
    const res = await expectNothingStored(() =>
      request(h.app)
        .post('/v1/submissions')
        .send({ challenge_id: CHALLENGE_ID, archive: { format: 'tar.gz', base64: data.toString('base64') } }),
    );
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('POST /v1/submissions, when JSON files exceed MAX_UPLOAD_BYTES once decoded, responds 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await expectNothingStored(() =>
      request(h.app)
        .post('/v1/submissions')
        .send({
          challenge_id: CHALLENGE_ID,
          files: { ...VALID_FILES, 'big.txt': 'y'.repeat(TEST_MAX_UPLOAD_BYTES) },
        }),
    );
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/x-tar',
  ])(
    'POST /v1/submissions, when Content-Type is %s, responds 415 UNSUPPORTED_MEDIA_TYPE and stores nothing',
    async (contentType) => {
      const res = await expectNothingStored(() => postRaw(contentType, 'a=b'));
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it('POST /v1/submissions, when there is no Content-Type, responds 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await expectNothingStored(() => request(h.app).post('/v1/submissions'));
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('POST /v1/submissions, when the JSON charset is not UTF-8, responds 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await expectNothingStored(() =>
      request(h.app)
        .post('/v1/submissions')
        .set('Content-Type', 'application/json; charset=latin1')
        .send(JSON.stringify({ challenge_id: CHALLENGE_ID, files: VALID_FILES })),
    );
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('POST /v1/submissions, when a tar.gz entry escapes with ../x, responds 422 ARCHIVE_INVALID and stores nothing', async () => {
    const tgz = await makeTarGz([
      ...Object.entries(VALID_FILES).map(([name, content]) => ({ name, content })),
      { name: '../x', content: 'pwn' },
    ]);
    const res = await expectNothingStored(() => postRaw('application/gzip', tgz));
    expectProblem(res, 422, 'ARCHIVE_INVALID');
  });

  it('POST /v1/submissions, when a JSON file path escapes with ../x, responds 422 ARCHIVE_INVALID and stores nothing', async () => {
    const res = await expectNothingStored(() =>
      request(h.app)
        .post('/v1/submissions')
        .send({ challenge_id: CHALLENGE_ID, files: { ...VALID_FILES, '../x': 'pwn' } }),
    );
    expectProblem(res, 422, 'ARCHIVE_INVALID');
  });

  it('POST /v1/submissions, when a tar.gz holds a symlink, responds 422 ARCHIVE_INVALID and stores nothing', async () => {
    const tgz = await makeTarGz([
      ...Object.entries(VALID_FILES).map(([name, content]) => ({ name, content })),
      { header: { name: 'link', type: 'symlink', linkname: '/etc/passwd' } },
    ]);
    const res = await expectNothingStored(() => postRaw('application/gzip', tgz));
    expectProblem(res, 422, 'ARCHIVE_INVALID');
  });

  it('POST /v1/submissions, when the body is not a valid archive, responds 422 ARCHIVE_INVALID and stores nothing', async () => {
    const res = await expectNothingStored(() =>
      postRaw('application/zip', Buffer.from('this is not a zip file')),
    );
    expectProblem(res, 422, 'ARCHIVE_INVALID');
  });

  it('POST /v1/submissions, when the raw body is empty, responds 422 ARCHIVE_INVALID', async () => {
    const res = await expectNothingStored(() => postRaw('application/gzip', Buffer.alloc(0)));
    expectProblem(res, 422, 'ARCHIVE_INVALID');
  });

  it('POST /v1/submissions, when no runtime marker file is at the root, responds 422 RUNTIME_UNDETERMINED naming what it looked for, and stores nothing', async () => {
    const res = await expectNothingStored(() =>
      request(h.app)
        .post('/v1/submissions')
        .send({ challenge_id: CHALLENGE_ID, files: { 'src/index.js': 'x', 'lib/package.json': '{}' } }),
    );
    expectProblem(res, 422, 'RUNTIME_UNDETERMINED');
    expect(res.body.detail).toContain('package.json');
    expect(res.body.detail).toContain('found none of them');
  });

  it('POST /v1/submissions, for a Go submission to a challenge that accepts only node22, responds 422 RUNTIME_NOT_ACCEPTED naming go.mod, and stores nothing', async () => {
    const res = await expectNothingStored(() =>
      request(h.app)
        .post('/v1/submissions')
        .send({ challenge_id: CHALLENGE_ID, files: { 'go.mod': 'module x\n', 'main.go': 'package main' } }),
    );
    expectProblem(res, 422, 'RUNTIME_NOT_ACCEPTED');
    expect(res.body.type).toBe('https://stackgrade.dev/problems/runtime-not-accepted');
    expect(res.body.detail).toContain('found: go.mod');
  });

  it('POST /v1/submissions, naming a runtime the body has no marker file of, responds 422 RUNTIME_UNDETERMINED', async () => {
    const res = await expectNothingStored(() =>
      request(h.app)
        .post('/v1/submissions')
        .send({ challenge_id: CHALLENGE_ID, runtime: 'node22', files: { 'main.py': 'print(1)' } }),
    );
    expectProblem(res, 422, 'RUNTIME_UNDETERMINED');
    expect(res.body.detail).toContain('node22 needs package.json');
  });
});

describe('GET /v1/submissions/:id', () => {
  it('GET /v1/submissions/:id, for a stored submission, responds 200 with its view', async () => {
    const created = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    const res = await request(h.app).get(created.headers.location!);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const view = submissionViewSchema.parse(res.body);
    expect(view).toEqual({
      id: created.body.id,
      view: 'candidate',
      challenge_id: CHALLENGE_ID,
      challenge_version: 2,
      status: 'queued',
      attempt: 0,
      created_at: created.body.created_at,
      updated_at: created.body.created_at,
      report: null,
      error: null,
    });
    expect(Object.keys(res.body).sort()).toEqual(Object.keys(view).sort());
  });

  it('GET /v1/submissions/:id, for a completed submission, returns the report and error as stored', async () => {
    const created = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    const error = { code: 'SANDBOX_FAILED', message: 'docker daemon unreachable' };
    await h.db
      .collection<SubmissionDocument>('submissions')
      .updateOne(
        { _id: created.body.id },
        { $set: { status: 'error', attempt: 3, error, updated_at: new Date() } },
      );
    const res = await request(h.app).get(`/v1/submissions/${created.body.id}`);
    expect(res.body).toMatchObject({ status: 'error', attempt: 3, error, report: null });
  });

  it.each(['3b241101-e2bb-4255-8caf-4136c566a962', 'not-a-uuid', 'sub-1', "x'%20OR%201=1"])(
    'GET /v1/submissions/:id, for the unknown or malformed id %s, responds 404 SUBMISSION_NOT_FOUND',
    async (id) => {
      expectProblem(await request(h.app).get(`/v1/submissions/${id}`), 404, 'SUBMISSION_NOT_FOUND');
    },
  );

  it('GET /v1/submissions/:id, when the id is not valid percent-encoding, responds 400 MALFORMED_REQUEST', async () => {
    expectProblem(await request(h.app).get('/v1/submissions/%E0%A4%A'), 400, 'MALFORMED_REQUEST');
  });
});

describe('HTTP conventions', () => {
  it.each([
    ['put', '/v1/submissions', 'POST, GET, HEAD, OPTIONS'],
    ['delete', '/v1/submissions/3b241101-e2bb-4255-8caf-4136c566a962', 'GET, HEAD, OPTIONS'],
    ['post', '/v1/challenges', 'GET, HEAD, OPTIONS'],
    ['patch', '/healthz', 'GET, HEAD, OPTIONS'],
  ] as const)(
    '%s %s, on a known path with the wrong method, responds 405 with Allow: %s',
    async (method, path, allow) => {
      const res = await expectNothingStored(() => request(h.app)[method](path));
      expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBe(allow);
    },
  );

  it('OPTIONS /v1/submissions, when asked, responds 204 with Allow', async () => {
    const res = await request(h.app).options('/v1/submissions');
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('POST, GET, HEAD, OPTIONS');
  });

  it('GET /nowhere, for an unknown route, responds 404 NOT_FOUND problem with the path as instance', async () => {
    const res = await request(h.app).get('/nowhere?x=1');
    expectProblem(res, 404, 'NOT_FOUND');
    expect(res.body.instance).toBe('/nowhere');
  });

  it('every response, by default, carries X-Request-Id and nosniff, and no X-Powered-By', async () => {
    const res = await request(h.app).get('/nowhere');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.request_id).toBe(res.headers['x-request-id']);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('every response, when the client sends a safe X-Request-Id, echoes it; an unsafe one is replaced', async () => {
    const kept = await request(h.app).get('/healthz').set('X-Request-Id', 'client-abc.123');
    expect(kept.headers['x-request-id']).toBe('client-abc.123');
    const replaced = await request(h.app).get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('every request, when finished, is logged once with method, path, status and ms', async () => {
    const res = await request(h.app).get('/healthz?probe=1');
    const lines = h.logLines.filter((l) => l.req_id === res.headers['x-request-id']);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request',
        method: 'GET',
        path: '/healthz',
        status: 200,
        ms: expect.any(Number),
      }),
    ]);
  });
});
