/**
 * Property-based fuzzing of every public endpoint with invalid input, against the real app, the real
 * MongoDB-compatible store (fresh database) and a real BullMQ queue (unique name). For every generated request
 * the answer must be an RFC 9457 problem+json whose `type`, `code` and status agree with the error registry,
 * a 4xx status from the set the case allows (never 500), and the store and queue must hold exactly what they
 * held before (no submission document, no archive, no job). fast-check prints the seed of a failing run.
 */
import fc from 'fast-check';
import request, { type Response, type Test } from 'supertest';
import { ERROR_CODES, problemType, type ErrorCode } from '../../../runner/contract/error-codes';
import {
  CHALLENGE_ID,
  makeTarGz,
  startHarness,
  TEST_MAX_UPLOAD_BYTES,
  VALID_FILES,
  type Harness,
} from './support';

/** Runs per property: enough to vary every generator, small enough for CI (each run is a real request). */
const RUNS = 40;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

/** Sends the request, then checks it answered an allowed problem and changed nothing in store or queue. */
async function expectRejected(send: () => Test, allowed: readonly ErrorCode[]): Promise<Response> {
  const before = await h.counts();
  const res = await send();
  const code = res.body?.code as ErrorCode | undefined;
  const context = `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (!code || !allowed.includes(code))
    throw new Error(`unexpected problem (allowed ${allowed}): ${context}`);
  expect(res.body).toMatchObject({
    type: problemType(code),
    status: ERROR_CODES[code].status,
    title: ERROR_CODES[code].title,
    detail: expect.any(String),
    instance: expect.stringMatching(/^\//),
  });
  expect(res.status).toBe(ERROR_CODES[code].status);
  expect(await h.counts()).toEqual(before);
  return res;
}

/** A challenge id the catalog does not hold (any string but the one real id). */
const unknownChallengeId = fc.string({ minLength: 1, maxLength: 100 }).filter((s) => s !== CHALLENGE_ID);

/** A JSON value that is not a string (a wrong type for every string field). */
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
);

/** An invalid JSON body of `POST /v1/submissions` with the codes it may be rejected with. */
const invalidJsonBody: fc.Arbitrary<{ body: unknown; codes: ErrorCode[] }> = fc.oneof(
  // challenge_id of the wrong type, or missing
  notAString.map((challenge_id) => ({
    body: { challenge_id, files: VALID_FILES },
    codes: ['VALIDATION_FAILED'],
  })),
  fc.constant({ body: { files: VALID_FILES }, codes: ['VALIDATION_FAILED'] }),
  // unknown challenge with an otherwise valid body
  unknownChallengeId.map((challenge_id) => ({
    body: { challenge_id, files: VALID_FILES },
    codes: ['CHALLENGE_NOT_FOUND', 'VALIDATION_FAILED'],
  })),
  // files of the wrong type, or with a non-string content
  notAString.map((files) => ({ body: { challenge_id: CHALLENGE_ID, files }, codes: ['VALIDATION_FAILED'] })),
  fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), notAString).map(([name, content]) => ({
    body: { challenge_id: CHALLENGE_ID, files: { ...VALID_FILES, [name]: content } },
    codes: ['VALIDATION_FAILED'],
  })),
  // hostile or odd file paths: rejected by the schema or the archive reader
  fc
    .oneof(
      fc.constantFrom('../x', '/etc/passwd', 'a/../../b', 'C:\\x', 'a\\..\\b', './', '.', '..', 'a//'),
      fc.string({ minLength: 1, maxLength: 30 }).map((s) => `../${s}`),
    )
    .map((p) => ({
      body: { challenge_id: CHALLENGE_ID, files: { ...VALID_FILES, [p]: 'x' } },
      codes: ['ARCHIVE_INVALID', 'VALIDATION_FAILED'],
    })),
  // no runtime marker file (package.json, requirements.txt, pyproject.toml, go.mod) at the root
  fc
    .dictionary(fc.stringMatching(/^[a-z]{1,8}\.js$/), fc.string({ maxLength: 50 }), {
      minKeys: 1,
      maxKeys: 4,
    })
    .map((files) => ({ body: { challenge_id: CHALLENGE_ID, files }, codes: ['RUNTIME_UNDETERMINED'] })),
  // archive: wrong format, invalid base64, base64 of bytes that are no archive, both files and archive
  fc
    .string({ maxLength: 10 })
    .filter((f) => f !== 'zip' && f !== 'tar.gz')
    .map((format) => ({
      body: { challenge_id: CHALLENGE_ID, archive: { format, base64: 'AAAA' } },
      codes: ['VALIDATION_FAILED'],
    })),
  fc.string({ minLength: 1, maxLength: 40 }).map((base64) => ({
    body: { challenge_id: CHALLENGE_ID, archive: { format: 'zip', base64: `${base64}!` } },
    codes: ['VALIDATION_FAILED'],
  })),
  fc
    .tuple(fc.constantFrom('zip', 'tar.gz'), fc.uint8Array({ minLength: 1, maxLength: 512 }))
    .map(([format, bytes]) => ({
      body: {
        challenge_id: CHALLENGE_ID,
        archive: { format, base64: Buffer.from(bytes).toString('base64') },
      },
      codes: ['ARCHIVE_INVALID', 'VALIDATION_FAILED'],
    })),
  fc.constant({
    body: { challenge_id: CHALLENGE_ID, files: VALID_FILES, archive: { format: 'zip', base64: 'AAAA' } },
    codes: ['VALIDATION_FAILED'],
  }),
  // unknown keys, and top-level values that are no object
  fc
    .tuple(
      fc
        .string({ minLength: 1, maxLength: 10 })
        .filter((k) => !['challenge_id', 'files', 'archive'].includes(k)),
      fc.jsonValue(),
    )
    .map(([k, v]) => ({
      body: { challenge_id: CHALLENGE_ID, files: VALID_FILES, [k]: v },
      codes: ['VALIDATION_FAILED'],
    })),
  fc.array(fc.jsonValue(), { maxLength: 4 }).map((body) => ({ body, codes: ['VALIDATION_FAILED'] })),
) as fc.Arbitrary<{ body: unknown; codes: ErrorCode[] }>;

describe('POST /v1/submissions with invalid input (property-based)', () => {
  it('POST /v1/submissions, for any invalid JSON body, responds a 4xx problem and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(invalidJsonBody, async ({ body, codes }) => {
        await expectRejected(
          () =>
            request(h.app)
              .post('/v1/submissions')
              .set('Content-Type', 'application/json')
              .send(JSON.stringify(body)),
          codes,
        );
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('POST /v1/submissions, for any text that is not a JSON object or array, responds 400 MALFORMED_REQUEST', async () => {
    const notJson = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)), // truncated JSON
      fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)).map((v) => JSON.stringify(v)), // strict: scalars
    );
    await fc.assert(
      fc.asyncProperty(
        notJson.filter((s) => {
          try {
            const v: unknown = JSON.parse(s);
            return typeof v !== 'object' || v === null;
          } catch {
            return true;
          }
        }),
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON'),
        async (text, type) => {
          // An empty body parses as {} in body-parser: 422, not 400. Whitespace alone is not JSON (RFC 8259
          // §2: a JSON text is a value), so it is 400 like any other text.
          const codes: ErrorCode[] = text === '' ? ['VALIDATION_FAILED'] : ['MALFORMED_REQUEST'];
          await expectRejected(
            () => request(h.app).post('/v1/submissions').set('Content-Type', type).send(text),
            codes,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /v1/submissions, for any raw gzip or zip body that is no valid archive, responds 4xx and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'application/gzip',
          'application/x-gzip',
          'application/x-tar+gzip',
          'application/zip',
        ),
        fc.uint8Array({ minLength: 0, maxLength: 2048 }),
        fc.oneof(
          fc.constant({ query: `challenge_id=${CHALLENGE_ID}`, codes: ['ARCHIVE_INVALID'] as ErrorCode[] }),
          unknownChallengeId.map((id) => ({
            query: `challenge_id=${encodeURIComponent(id)}`,
            codes: ['CHALLENGE_NOT_FOUND', 'ARCHIVE_INVALID', 'VALIDATION_FAILED'] as ErrorCode[],
          })),
          fc.constant({ query: '', codes: ['VALIDATION_FAILED'] as ErrorCode[] }),
          fc.constant({
            query: `challenge_id=${CHALLENGE_ID}&challenge_id=x`,
            codes: ['VALIDATION_FAILED'] as ErrorCode[],
          }),
        ),
        async (type, bytes, { query, codes }) => {
          await expectRejected(
            () =>
              request(h.app)
                .post(`/v1/submissions${query ? `?${query}` : ''}`)
                .set('Content-Type', type)
                .send(Buffer.from(bytes)),
            codes,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /v1/submissions, for a valid archive without a runtime marker file, responds 422 RUNTIME_UNDETERMINED; with a hostile entry, 422 ARCHIVE_INVALID', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant({
            files: { 'src/index.js': 'x' } as Record<string, string>,
            code: 'RUNTIME_UNDETERMINED',
          }),
          fc.constantFrom('../evil', '/abs', 'a/../../b').map((p) => ({
            files: { ...VALID_FILES, [p]: 'x' } as Record<string, string>,
            code: 'ARCHIVE_INVALID' as ErrorCode,
          })),
        ),
        async ({ files, code }) => {
          const tgz = await makeTarGz(files);
          await expectRejected(
            () =>
              request(h.app)
                .post(`/v1/submissions?challenge_id=${CHALLENGE_ID}`)
                .set('Content-Type', 'application/gzip')
                .send(tgz),
            [code],
          );
        },
      ),
      { numRuns: 8 },
    );
  });

  it('POST /v1/submissions, for any body over the upload limit, responds 413 PAYLOAD_TOO_LARGE', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('application/gzip', 'application/zip', 'application/json'),
        fc.integer({ min: 1, max: TEST_MAX_UPLOAD_BYTES }),
        async (type, extra) => {
          const limit =
            type === 'application/json' ? Math.ceil(TEST_MAX_UPLOAD_BYTES * 1.4) : TEST_MAX_UPLOAD_BYTES;
          const body =
            type === 'application/json'
              ? JSON.stringify({ challenge_id: CHALLENGE_ID, files: { 'a.txt': 'x'.repeat(limit + extra) } })
              : Buffer.alloc(limit + extra, 0x1f);
          await expectRejected(
            () =>
              request(h.app)
                .post(`/v1/submissions?challenge_id=${CHALLENGE_ID}`)
                .set('Content-Type', type)
                .send(body),
            ['PAYLOAD_TOO_LARGE'],
          );
        },
      ),
      { numRuns: 10 },
    );
  });

  it('POST /v1/submissions, for any unsupported media type, charset or content encoding, responds 415 and stores nothing', async () => {
    const accepted = new Set([
      'application/json',
      'application/gzip',
      'application/x-gzip',
      'application/x-tar+gzip',
      'application/zip',
    ]);
    const badType = fc.oneof(
      fc.constantFrom('text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded'),
      fc.stringMatching(/^[a-z]{1,10}\/[a-z0-9.+-]{1,15}$/).filter((t) => !accepted.has(t)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badType.map((type) => ({ type, encoding: undefined as string | undefined })),
          fc.constantFrom('latin1', 'utf-16', 'ascii', 'koi8-r').map((cs) => ({
            type: `application/json; charset=${cs}`,
            encoding: undefined as string | undefined,
          })),
          fc.constantFrom('application/gzip', 'application/zip').map((type) => ({
            type,
            encoding: 'gzip' as string | undefined,
          })),
          fc
            .stringMatching(/^[a-z]{2,8}$/)
            .filter((e) => !['gzip', 'deflate', 'br', 'identity'].includes(e))
            .map((encoding) => ({ type: 'application/json', encoding: encoding as string | undefined })),
        ),
        async ({ type, encoding }) => {
          await expectRejected(() => {
            const req = request(h.app)
              .post(`/v1/submissions?challenge_id=${CHALLENGE_ID}`)
              .set('Content-Type', type);
            if (encoding) req.set('Content-Encoding', encoding);
            return req.send(Buffer.from(JSON.stringify({ challenge_id: CHALLENGE_ID, files: VALID_FILES })));
          }, ['UNSUPPORTED_MEDIA_TYPE']);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /v1/submissions, for a JSON body whose gzip/deflate Content-Encoding is corrupt, responds 400 and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('gzip', 'deflate'),
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        async (encoding, bytes) => {
          await expectRejected(
            () =>
              request(h.app)
                .post('/v1/submissions')
                .set('Content-Type', 'application/json')
                .set('Content-Encoding', encoding)
                .send(Buffer.from(bytes)),
            ['MALFORMED_REQUEST'],
          );
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('GET endpoints, unknown routes and wrong methods with invalid input (property-based)', () => {
  it('GET /v1/submissions/:id, for any id that was never issued, responds 404 SUBMISSION_NOT_FOUND', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 80 })), async (id) => {
        await expectRejected(
          () => request(h.app).get(`/v1/submissions/${encodeURIComponent(id)}`),
          ['SUBMISSION_NOT_FOUND'],
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('GET /v1/submissions/:id, for any broken percent-encoding, responds 400 MALFORMED_REQUEST', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z0-9]{0,10}$/),
        fc.constantFrom('%', '%E0%A4%A', '%zz', '%C3', '%FF'),
        async (prefix, broken) => {
          await expectRejected(
            () => request(h.app).get(`/v1/submissions/${prefix}${broken}`),
            ['MALFORMED_REQUEST'],
          );
        },
      ),
      { numRuns: 15 },
    );
  });

  it('GET /v1/challenges/:id and /starter, for any unknown challenge id, respond 404 CHALLENGE_NOT_FOUND', async () => {
    await fc.assert(
      fc.asyncProperty(unknownChallengeId, fc.boolean(), async (id, starter) => {
        await expectRejected(
          () => request(h.app).get(`/v1/challenges/${encodeURIComponent(id)}${starter ? '/starter' : ''}`),
          ['CHALLENGE_NOT_FOUND'],
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('GET /v1/challenges, with any query string, responds 200 and ignores it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), async (q) => {
        const res = await request(h.app).get('/v1/challenges').query(q);
        expect(res.status).toBe(200);
        expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([CHALLENGE_ID]);
      }),
      { numRuns: 15 },
    );
  });

  it('any method, on any unknown route, responds 404 NOT_FOUND', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('get', 'post', 'put', 'patch', 'delete'),
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        async (method, segments) => {
          const path = `/${segments.join('/')}`;
          fc.pre(!/^\/(healthz|v1\/submissions(\/[^/]+)?|v1\/challenges(\/[^/]+(\/starter)?)?)$/.test(path));
          await expectRejected(() => request(h.app)[method](path).send({ x: 1 }), ['NOT_FOUND']);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a wrong method, on any known route, responds 405 METHOD_NOT_ALLOWED with Allow', async () => {
    const id = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
    const cases = fc.oneof(
      fc.constantFrom('put', 'patch', 'delete').map((m) => ({ m, path: '/v1/submissions' })),
      fc
        .tuple(fc.constantFrom('post', 'put', 'patch', 'delete'), id)
        .map(([m, i]) => ({ m, path: `/v1/submissions/${i}` })),
      fc
        .tuple(
          fc.constantFrom('post', 'put', 'patch', 'delete'),
          fc.constantFrom(
            '/v1/challenges',
            `/v1/challenges/${CHALLENGE_ID}`,
            `/v1/challenges/${CHALLENGE_ID}/starter`,
          ),
        )
        .map(([m, path]) => ({ m, path })),
      fc.constantFrom('post', 'put', 'patch', 'delete').map((m) => ({ m, path: '/healthz' })),
    );
    await fc.assert(
      fc.asyncProperty(cases, fc.jsonValue(), async ({ m, path }, body) => {
        const res = await expectRejected(
          () =>
            request(h.app)
              [m as 'get' | 'post' | 'put' | 'patch' | 'delete'](path)
              .set('Content-Type', 'application/json')
              .send(JSON.stringify(body)),
          ['METHOD_NOT_ALLOWED'],
        );
        expect(res.headers.allow).toMatch(/OPTIONS$/);
      }),
      { numRuns: RUNS },
    );
  });
});
