/**
 * The grader SDK's PostgreSQL probes and DB-confirmed security probes against a real PostgreSQL 15
 * (stackgrade/postgres15, pg_stat_statements + auto_explain as in a pod) and small node:http services that
 * query it as the candidate role `app`: good and defective variants of each endpoint.
 */
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { Pool } from 'pg';
import {
  blocksWithin,
  bola,
  capturePlans,
  foreignKeysWithoutIndex,
  HttpClient,
  indexLeadingWith,
  massAssignment,
  measureRequest,
  nPlusOne,
  passwordStorage,
  PgProbe,
  sqlInjection,
} from '../../../grader';
import { startApp, startPostgres, type TestPostgres } from './support';

let pg: TestPostgres;
let probe: PgProbe;
let appPool: Pool;
let client: HttpClient;
let closeApp: () => Promise<void>;

const one = async <T extends object>(sql: string, params: unknown[] = []): Promise<T[]> =>
  (await appPool.query(sql, params)).rows as T[];

/** Stores a password as the PHC string of scrypt N=2^17, r=8, p=1 (OWASP minimum). */
function scryptPhc(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
  return `$scrypt$ln=17,r=8,p=1$${salt.toString('base64')}$${hash.toString('base64')}`;
}

beforeAll(async () => {
  pg = await startPostgres();
  probe = new PgProbe(pg.adminUrl, 'app');
  await probe.query(`
    CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL);
    CREATE TABLE books (id int PRIMARY KEY, author_id int NOT NULL REFERENCES authors(id), title text NOT NULL, price int NOT NULL);
    CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL, password text NOT NULL, role text NOT NULL DEFAULT 'user', note text NOT NULL DEFAULT '');
    INSERT INTO authors SELECT g, 'author ' || g FROM generate_series(1, 200) g;
    INSERT INTO books SELECT g, g % 200 + 1, 'title ' || md5(g::text), g % 1000 FROM generate_series(1, 200000) g;
    GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO app;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app;
    ANALYZE;`);
  appPool = new Pool({ connectionString: pg.appUrl, max: 2 });
  const app = await startApp(async (req, url) => {
    const p = url.pathname;
    const q = url.searchParams;
    if (p === '/authors') {
      const limit = Number(q.get('limit') ?? 10);
      const authors = await one<{ id: number; name: string }>(
        'SELECT id, name FROM authors ORDER BY id LIMIT $1',
        [limit],
      );
      if (q.get('mode') === 'n-plus-one') {
        for (const a of authors)
          Object.assign(a, {
            books: (await one('SELECT count(*) FROM books WHERE author_id = $1 AND price < 3', [a.id]))[0],
          });
      } else {
        await one(
          'SELECT author_id, count(*) FROM books WHERE author_id = ANY($1) AND price < 3 GROUP BY author_id',
          [authors.map((a) => a.id)],
        );
      }
      return { body: { data: authors } };
    }
    if (p === '/books/by-title')
      return { body: { data: await one('SELECT id, title FROM books WHERE title = $1', [q.get('title')]) } };
    if (p === '/books/by-id')
      return {
        body: { data: await one('SELECT id, title FROM books WHERE id = $1', [Number(q.get('id'))]) },
      };
    if (p === '/books/offset')
      return {
        body: {
          data: await one('SELECT id FROM books ORDER BY id LIMIT 10 OFFSET $1', [Number(q.get('offset'))]),
        },
      };
    if (p === '/books/keyset')
      return {
        body: {
          data: await one('SELECT id FROM books WHERE id > $1 ORDER BY id LIMIT 10', [
            Number(q.get('after')),
          ]),
        },
      };
    if (p === '/books/sorted') {
      const c = await appPool.connect();
      try {
        await c.query("SET work_mem = '64kB'");
        const r = await c.query('SELECT count(*) FROM (SELECT title FROM books ORDER BY title, price) s');
        return { body: r.rows[0] };
      } finally {
        await c.query('RESET work_mem');
        c.release();
      }
    }
    if (p === '/search') {
      const term = q.get('q') ?? '';
      const rows =
        q.get('mode') === 'concat'
          ? await one(`SELECT id FROM books WHERE title = '${term}' LIMIT 20`).catch(() => null)
          : await one('SELECT id FROM books WHERE title = $1 LIMIT 20', [term]);
      return rows ? { body: { data: rows } } : { status: 400, body: { error: 'bad query' } };
    }
    if (p === '/users' && req.method === 'POST') {
      const b = JSON.parse(req.body) as Record<string, string>;
      const safe = q.get('mode') !== 'unsafe';
      const stored =
        q.get('hash') === 'sha256'
          ? createHash('sha256').update(b.password!).digest('hex')
          : scryptPhc(b.password!);
      const r = safe
        ? await one<{ id: number }>('INSERT INTO users (email, password) VALUES ($1, $2) RETURNING id', [
            b.email,
            stored,
          ])
        : await one<{ id: number }>(
            'INSERT INTO users (email, password, role) VALUES ($1, $2, coalesce($3, $4)) RETURNING id',
            [b.email, stored, b.role, 'user'],
          );
      return { status: 201, body: { id: r[0]!.id, email: b.email } };
    }
    const m = /^\/users\/(\d+)$/.exec(p);
    if (m) {
      const caller = Number(req.headers['x-user-id']);
      const checkOwner = q.get('mode') !== 'no-owner-check';
      if (checkOwner && caller !== Number(m[1])) return { status: 404, body: { error: 'not found' } };
      if (req.method === 'PATCH') {
        await one('UPDATE users SET note = $1 WHERE id = $2', [
          (JSON.parse(req.body) as { note: string }).note,
          Number(m[1]),
        ]);
      }
      const r = await one('SELECT id, email, note FROM users WHERE id = $1', [Number(m[1])]);
      return r[0] ? { body: r[0] } : { status: 404, body: { error: 'not found' } };
    }
    return { status: 404, body: { error: 'no route' } };
  });
  client = new HttpClient(app.url);
  closeApp = app.close;
});

afterAll(async () => {
  await closeApp?.();
  await appPool?.end();
  await probe?.close();
  await pg?.stop();
});

describe('grader SDK: PostgreSQL probes', () => {
  it('N+1 detection by comparing two page sizes', async () => {
    const send = (mode: string, limit: number) => () =>
      client.request({ path: `/authors?limit=${limit}&mode=${mode}` });
    const good = await nPlusOne(probe, {
      label: 'Listing authors',
      small: { size: 5, send: send('batched', 5) },
      large: { size: 25, send: send('batched', 25) },
    });
    const bad = await nPlusOne(probe, {
      label: 'Listing authors',
      small: { size: 5, send: send('n-plus-one', 5) },
      large: { size: 25, send: send('n-plus-one', 25) },
    });
    expect(good).toMatchObject({
      pass: true,
      evidence: { size_5: { statements: 2 }, size_25: { statements: 2 } },
    });
    expect(bad).toMatchObject({
      pass: false,
      evidence: { size_5: { statements: 6 }, size_25: { statements: 26 } },
    });
  });

  it('executed plans: a large seq scan names the unindexed filter column; a primary-key read has none', async () => {
    const seq = await capturePlans(probe, () => client.request({ path: '/books/by-title?title=nope' }));
    const pk = await capturePlans(probe, () => client.request({ path: '/books/by-id?id=77' }));
    expect(seq.findings).toEqual([
      expect.objectContaining({ kind: 'seq_scan_large', relation: 'books', columns: ['title'] }),
    ]);
    expect(pk.plans).toHaveLength(1);
    expect(pk.findings).toEqual([]);
  });

  it('executed plans: large OFFSET and a sort spilling to disk; keyset has neither', async () => {
    const offset = await capturePlans(probe, () => client.request({ path: '/books/offset?offset=150000' }));
    const keyset = await capturePlans(probe, () => client.request({ path: '/books/keyset?after=150000' }));
    const sorted = await capturePlans(probe, () => client.request({ path: '/books/sorted' }));
    expect(offset.findings.map((f) => f.kind)).toContain('large_offset');
    expect(keyset.findings).toEqual([]);
    expect(sorted.findings.map((f) => f.kind)).toContain('sort_spill');
  });

  it('generic plans of captured statements and the blocks budget', async () => {
    const seq = await measureRequest(probe, () => client.request({ path: '/books/by-title?title=nope' }));
    const pk = await measureRequest(probe, () => client.request({ path: '/books/by-id?id=78' }));
    const generic = await probe.planFindings(seq.delta, 10_000);
    expect(generic.findings.map((f) => f.kind)).toEqual(['seq_scan_large']);
    expect(blocksWithin(pk.delta, 100, 'GET /books/by-id').pass).toBe(true);
    const over = blocksWithin(seq.delta, 100, 'GET /books/by-title');
    expect(over.pass).toBe(false);
    expect(seq.delta.blocks).toBeGreaterThan(1000); // a whole-table scan of 200 000 rows
    const sorted = await measureRequest(probe, () => client.request({ path: '/books/sorted' }));
    expect(sorted.delta.temp_blocks_written).toBeGreaterThan(0);
    expect(blocksWithin(sorted.delta, 1_000_000, 'GET /books/sorted').message).toMatch(/temporary blocks/);
  });

  it('index presence and foreign keys without an index', async () => {
    expect((await indexLeadingWith(probe, 'books', ['author_id'])).pass).toBe(false);
    expect(await foreignKeysWithoutIndex(probe)).toEqual([
      { table: 'books', constraint: 'books_author_id_fkey', columns: ['author_id'] },
    ]);
    await probe.query('CREATE INDEX books_author_price ON books (author_id, price)');
    try {
      expect(await indexLeadingWith(probe, 'books', ['author_id'])).toMatchObject({
        pass: true,
        evidence: { index: 'books_author_price' },
      });
      expect((await indexLeadingWith(probe, 'books', ['price'])).pass).toBe(false);
      expect(await foreignKeysWithoutIndex(probe)).toEqual([]);
    } finally {
      await probe.query('DROP INDEX books_author_price');
    }
  });
});

describe('grader SDK: security probes confirmed in PostgreSQL', () => {
  it('SQL injection: a canary in the statement text fails, a bound parameter passes', async () => {
    const good = await sqlInjection(probe, {
      canary: 'zqgoodcanary1',
      send: (v) => client.request({ path: `/search?q=${encodeURIComponent(v)}` }),
    });
    const bad = await sqlInjection(probe, {
      messages: { inStatement: 'The search text is concatenated into the SQL.' },
      canary: 'zqbadcanary22',
      send: (v) => client.request({ path: `/search?mode=concat&q=${encodeURIComponent(v)}` }),
    });
    expect(good).toMatchObject({ pass: true, owasp: 'API8:2023' });
    expect(bad).toMatchObject({ pass: false, message: 'The search text is concatenated into the SQL.' });
    expect((bad.evidence.statement_log as string[])[0]).toContain('zqbadcanary22');
  });

  it('mass assignment is decided on the stored row', async () => {
    const run = (mode: string, email: string) =>
      massAssignment(client, {
        request: {
          method: 'POST',
          path: `/users?mode=${mode}`,
          body: { email, password: 'pw-1', role: 'admin' },
        },
        injected: { role: 'admin' },
        readStored: async (res) =>
          (
            await probe.query<Record<string, unknown>>('SELECT role FROM users WHERE id = $1', [
              (res.json as { id: number }).id,
            ])
          )[0] ?? null,
      });
    expect(await run('safe', 'ma-good@example.test')).toMatchObject({
      pass: true,
      owasp: 'API3:2023',
      evidence: { stored: { role: 'user' } },
    });
    expect(await run('unsafe', 'ma-bad@example.test')).toMatchObject({
      pass: false,
      evidence: { stored_fields: ['role'] },
    });
  });

  it('BOLA between two seeded users: refusal, no leak, row unchanged', async () => {
    const [a] = await probe.query<{ id: number }>(
      "INSERT INTO users (email, password, note) VALUES ('bola-a@example.test', 'x', 'secret-note-of-a') RETURNING id",
    );
    const [b] = await probe.query<{ id: number }>(
      "INSERT INTO users (email, password) VALUES ('bola-b@example.test', 'x') RETURNING id",
    );
    const run = (mode: string) =>
      bola(client, {
        ownerCheck: { path: `/users/${a!.id}?mode=${mode}`, headers: { 'x-user-id': String(a!.id) } },
        attempts: [
          { path: `/users/${a!.id}?mode=${mode}`, headers: { 'x-user-id': String(b!.id) } },
          {
            method: 'PATCH',
            path: `/users/${a!.id}?mode=${mode}`,
            headers: { 'x-user-id': String(b!.id) },
            body: { note: 'overwritten' },
          },
        ],
        secrets: ['secret-note-of-a'],
        unchanged: async () =>
          (await probe.query<{ note: string }>('SELECT note FROM users WHERE id = $1', [a!.id]))[0]?.note ===
          'secret-note-of-a',
      });
    expect(await run('checked')).toMatchObject({ pass: true, owasp: 'API1:2023' });
    const bad = await run('no-owner-check');
    expect(bad).toMatchObject({ pass: false, evidence: { object_unchanged: false } });
  });

  it('password storage: a slow salted hash passes, an unsalted SHA-256 fails', async () => {
    const plain = `Pw-${randomBytes(6).toString('hex')}`;
    const stored = async (hash: string, email: string): Promise<string[]> => {
      const r = await client.request({
        method: 'POST',
        path: `/users?hash=${hash}`,
        body: { email, password: plain },
      });
      const row = (
        await probe.query<Record<string, string>>(
          'SELECT email, password, role, note FROM users WHERE id = $1',
          [(r.json as { id: number }).id],
        )
      )[0]!;
      return Object.values(row);
    };
    const good = passwordStorage(
      await stored('scrypt', 'pw-good@example.test'),
      plain,
      (await stored('scrypt', 'pw-good2@example.test'))[1],
    );
    const bad = passwordStorage(await stored('sha256', 'pw-bad@example.test'), plain);
    expect(good).toMatchObject({ pass: true, owasp: 'API2:2023' });
    expect(bad).toMatchObject({ pass: false });
    expect(bad.message).toMatch(/unsalted fast digest/);
  });
});
