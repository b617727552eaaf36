import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { SubmissionDocument } from '../../../runner/contract/submission.schema';
import { AppError } from '../../../runner/contract/app-error';
import { problemType } from '../../../runner/contract/error-codes';
import { gradeJobId } from '../../../runner/contract/queue-names';
import { CHALLENGE_ID, startHarness, VALID_FILES, type Harness } from './support';

/** A port nothing listens on. */
const CLOSED = '127.0.0.1:1';

describe('when the queue is down', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ redisUrl: `redis://${CLOSED}` });
  });
  afterAll(async () => {
    await h.close();
  });

  it('POST /v1/submissions, when Redis does not answer, still responds 202, keeps the document queued and logs a warning', async () => {
    const started = Date.now();
    const res = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/v1/submissions/${res.body.id}`);

    const doc = await h.db.collection<SubmissionDocument>('submissions').findOne({ _id: res.body.id });
    expect(doc).toMatchObject({ status: 'queued', attempt: 0 });
    expect(await h.db.collection('archives').countDocuments({ _id: res.body.id })).toBe(1);
    expect(h.logLines).toContainEqual(
      expect.objectContaining({
        level: 40,
        submission_id: res.body.id,
        msg: expect.stringContaining('enqueue failed'),
      }),
    );

    const get = await request(h.app).get(`/v1/submissions/${res.body.id}`);
    expect(get.body).toMatchObject({ status: 'queued' });
  });

  it('BullMqGradeQueue.enqueue, when Redis does not answer, throws QUEUE_UNAVAILABLE', async () => {
    await expect(h.queue.enqueue(randomUUID())).rejects.toMatchObject({
      code: 'QUEUE_UNAVAILABLE',
      retryable: true,
    });
  });
});

describe('when the store is down', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mongoUri: `mongodb://${CLOSED}` });
  });
  afterAll(async () => {
    await h.close();
  });

  it('POST /v1/submissions, when MongoDB does not answer, responds 503 STORE_UNAVAILABLE and enqueues nothing', async () => {
    const res = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: problemType('STORE_UNAVAILABLE'),
      code: 'STORE_UNAVAILABLE',
      status: 503,
    });
    const counts = await h.queue.queue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('GET /v1/submissions/:id, when MongoDB does not answer, responds 503 STORE_UNAVAILABLE', async () => {
    const res = await request(h.app).get(`/v1/submissions/${randomUUID()}`);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('STORE_UNAVAILABLE');
  });

  it('GET /healthz, when MongoDB does not answer, responds 503 STORE_UNAVAILABLE problem', async () => {
    const res = await request(h.app).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('STORE_UNAVAILABLE');
  });
});

describe('when the submission insert fails after the archive insert', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      wrapStore: (store) => ({
        insertArchive: (a) => store.insertArchive(a),
        deleteArchive: (id) => store.deleteArchive(id),
        insertSubmission: () =>
          Promise.reject(new AppError('STORE_UNAVAILABLE', 'injected failure', { retryable: true })),
        findSubmission: (id) => store.findSubmission(id),
        listSubmissions: (scope, limit) => store.listSubmissions(scope, limit),
        ping: () => store.ping(),
      }),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('POST /v1/submissions, when the document insert fails, responds 503, removes the archive and enqueues nothing', async () => {
    const before = await h.counts();
    const res = await request(h.app)
      .post('/v1/submissions')
      .send({ challenge_id: CHALLENGE_ID, files: VALID_FILES });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('STORE_UNAVAILABLE');
    expect(await h.counts()).toEqual(before);
  });
});

describe('enqueue idempotency', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('BullMqGradeQueue.enqueue, when called twice for one submission, keeps one job', async () => {
    const id = randomUUID();
    await h.queue.enqueue(id);
    await h.queue.enqueue(id);
    const jobs = await h.queue.queue.getJobs();
    expect(jobs.map((j) => j.id)).toEqual([gradeJobId(id)]);
  });
});
