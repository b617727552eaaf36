/**
 * The grader SDK's MongoDB probes against a real FerretDB 1.24 (own process on a free port, so server-wide
 * counters see only this test) and a small node:http service using the official driver. FerretDB 1.x has no
 * profiler and answers explain with a SQLite plan: the tests pin that down, so profiler- and
 * executionStats-based probes are covered by unit tests on MongoDB-shaped documents only.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import {
  countCommands,
  explainStats,
  HttpClient,
  listMongoIndexes,
  mongoIndexLeadingWith,
  mongoNPlusOne,
  nosqlOperatorInjection,
  profileOps,
  profilerSupported,
} from '../../../grader';
import { startApp, startFerretDb } from './support';

let ferret: { uri: string; stop: () => Promise<void> };
let grader: MongoClient;
let appClient: MongoClient;
let db: Db;
let client: HttpClient;
let closeApp: () => Promise<void>;

beforeAll(async () => {
  ferret = await startFerretDb();
  const name = `sg_grader_sdk_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  grader = await MongoClient.connect(ferret.uri, { appName: 'grader' });
  appClient = await MongoClient.connect(ferret.uri, { appName: 'candidate' });
  db = grader.db(name);
  await db
    .collection('authors')
    .insertMany(Array.from({ length: 40 }, (_, i) => ({ _id: i + 1, name: `author ${i + 1}` }) as never));
  await db
    .collection('books')
    .insertMany(Array.from({ length: 400 }, (_, i) => ({ author_id: (i % 40) + 1, title: `book ${i}` })));
  await db
    .collection('users')
    .insertOne({ email: 'victim@example.test', password: 'correct horse battery staple' });
  const appDb = appClient.db(name);
  const app = await startApp(async (req, url) => {
    if (url.pathname === '/authors') {
      const limit = Number(url.searchParams.get('limit'));
      const authors = await appDb.collection('authors').find({}).sort({ _id: 1 }).limit(limit).toArray();
      if (url.searchParams.get('mode') === 'n-plus-one') {
        for (const a of authors)
          Object.assign(a, { book: await appDb.collection('books').findOne({ author_id: a._id }) });
      } else {
        const books = await appDb
          .collection('books')
          .find({ author_id: { $in: authors.map((a) => a._id) } })
          .toArray();
        for (const a of authors) Object.assign(a, { book: books.find((b) => b.author_id === a._id) ?? null });
      }
      return { body: { data: authors } };
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      const b = JSON.parse(req.body) as { email?: unknown; password?: unknown };
      if (
        url.searchParams.get('mode') !== 'unsafe' &&
        (typeof b.email !== 'string' || typeof b.password !== 'string')
      )
        return { status: 400, body: { error: 'email and password must be strings' } };
      const user = await appDb.collection('users').findOne({ email: b.email, password: b.password } as never);
      return user ? { body: { token: 'ok' } } : { status: 401, body: { error: 'wrong email or password' } };
    }
    return { status: 404, body: { error: 'no route' } };
  });
  client = new HttpClient(app.url);
  closeApp = app.close;
});

afterAll(async () => {
  await closeApp?.();
  await db?.dropDatabase().catch(() => undefined);
  await appClient?.close();
  await grader?.close();
  await ferret?.stop();
});

describe('grader SDK: MongoDB probes on FerretDB 1.24', () => {
  it('counts commands per request (serverStatus deltas) and detects N+1 by scaling', async () => {
    const once = await countCommands(db, () => client.request({ path: '/authors?limit=3&mode=n-plus-one' }));
    expect(once.commands.find).toBe(4);
    const send = (mode: string, limit: number) => () =>
      client.request({ path: `/authors?limit=${limit}&mode=${mode}` });
    const good = await mongoNPlusOne(db, {
      label: 'Listing authors',
      small: { size: 5, send: send('batched', 5) },
      large: { size: 30, send: send('batched', 30) },
    });
    const bad = await mongoNPlusOne(db, {
      label: 'Listing authors',
      small: { size: 5, send: send('n-plus-one', 5) },
      large: { size: 30, send: send('n-plus-one', 30) },
    });
    // 300 books of 30 authors exceed the first batch (101 documents): one getMore, still constant in the page size.
    expect(good).toMatchObject({
      pass: true,
      evidence: { size_5: { commands: { find: 2 } }, size_30: { commands: { find: 2, getMore: 1 } } },
    });
    expect(bad).toMatchObject({ pass: false, evidence: { size_5: { total: 6 }, size_30: { total: 31 } } });
  });

  it('lists indexes and finds one by its leading keys', async () => {
    expect((await mongoIndexLeadingWith(db, 'books', ['author_id'])).pass).toBe(false);
    await db.collection('books').createIndex({ author_id: 1, title: 1 });
    expect(await listMongoIndexes(db, 'books')).toEqual([
      { name: '_id_', key: { _id: 1 } },
      { name: 'author_id_1_title_1', key: { author_id: 1, title: 1 } },
    ]);
    expect(await mongoIndexLeadingWith(db, 'books', ['author_id'])).toMatchObject({
      pass: true,
      evidence: { index: 'author_id_1_title_1' },
    });
    expect((await mongoIndexLeadingWith(db, 'books', ['title'])).pass).toBe(false);
  });

  it('NoSQL operator injection by differential: operators as values must fail like a wrong value', async () => {
    const run = (mode: string) =>
      nosqlOperatorInjection(client, {
        request: (password) => ({
          method: 'POST',
          path: `/login?mode=${mode}`,
          body: { email: 'victim@example.test', password },
        }),
        wrongValue: 'not-the-password',
      });
    expect(await run('safe')).toMatchObject({ pass: true, owasp: 'API8:2023' });
    const bad = await run('unsafe');
    expect(bad.pass).toBe(false);
    expect(bad.evidence.attacks).toEqual(
      expect.arrayContaining([{ payload: { $ne: null }, status: 200, succeeded: true }]),
    );
  });

  it('FerretDB 1.24 has no profiler and no executionStats: the probes say so instead of guessing', async () => {
    expect(await profilerSupported(db)).toBe(false);
    await expect(profileOps(db, async () => undefined)).rejects.toThrow(/profile/);
    const ex = await db.collection('books').find({ author_id: 3 }).explain('executionStats');
    expect(explainStats(ex)).toBeNull();
  });
});
