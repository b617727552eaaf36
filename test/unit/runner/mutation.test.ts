import path from 'node:path';
import vm from 'node:vm';
import { readSolutionDir } from '../../../runner/grading/grade-submission';
import { generateMutants } from '../../../runner/mutation/mutate-challenge';
import { MUTANT_KINDS } from '../../../runner/mutation/mutant';
import { createdIndexes, runtimeMutants, SHIM_FILE } from '../../../runner/mutation/runtime-mutants';
import { cacheExpiryMutants, mongoIndexMutants } from '../../../runner/mutation/nosql-mutants';
import { ownershipFilterMutants, validationMutants } from '../../../runner/mutation/source-mutants';
import { algorithmMutants } from '../../../runner/mutation/algorithm-mutants';
import { rateLimitMutants } from '../../../runner/mutation/rate-limit-mutants';
import { verificationMutants } from '../../../runner/mutation/verification-mutants';

const files = (o: Record<string, string>): Map<string, Buffer> =>
  new Map(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));
const text = (m: { files: ReadonlyMap<string, Buffer> }, f: string): string =>
  m.files.get(f)!.toString('utf8');
/** Throws a SyntaxError when `code` is not valid CommonJS. */
const compiles = (code: string): unknown =>
  new vm.Script(`(function (require, module, exports) {${code}\n})`);

describe('built-in mutants of the orders-api reference', () => {
  let reference: Map<string, Buffer>;
  beforeAll(async () => {
    reference = new Map(
      await readSolutionDir(path.join(__dirname, '../../../challenges/orders-api/reference')),
    );
  });

  it('has at least one mutant of every SQL kind, with unique ids, each changing the reference', () => {
    const mutants = generateMutants(reference);
    const nosql = [
      'drop-mongo-index',
      'drop-cache-expiry',
      'remove-verification-call',
      'drop-rate-limit-increment',
      'accept-any-algorithm',
    ];
    expect(new Set(mutants.map((m) => m.kind))).toEqual(
      new Set(MUTANT_KINDS.filter((k) => !nosql.includes(k))),
    );
    expect(new Set(mutants.map((m) => m.id)).size).toBe(mutants.length);
    for (const m of mutants) {
      const changed = [...m.files.keys()].filter((k) => !reference.get(k)?.equals(m.files.get(k)!));
      expect({ id: m.id, changed: changed.length > 0 }).toEqual({ id: m.id, changed: true });
    }
  });

  it('finds the indexes the reference creates at start-up', () => {
    expect(createdIndexes(reference)).toEqual(['orders_customer_created_idx']);
  });

  it('every source mutant still compiles', () => {
    for (const m of [...ownershipFilterMutants(reference), ...validationMutants(reference)]) {
      for (const [f, buf] of m.files)
        if (f.endsWith('.js')) expect(() => compiles(buf.toString())).not.toThrow();
    }
  });

  it('the parseItems validation mutant no longer rejects a body without items', () => {
    const m = validationMutants(reference).find(
      (x) => x.id === 'remove-validation:src/orders.js:parseItems',
    )!;
    expect(text(m, 'src/orders.js')).not.toContain("throw invalid('items must be an array");
    expect(text(m, 'src/orders.js')).not.toContain('must be a positive integer');
    expect(text(m, 'src/request.js')).toBe(reference.get('src/request.js')!.toString());
  });
});

describe('authentication mutants of the auth-service reference', () => {
  it('finds the verification calls, the two throttling increments and the algorithm test, each still compiling', async () => {
    const ref = new Map(
      await readSolutionDir(path.join(__dirname, '../../../challenges/auth-service/reference')),
    );
    const v = verificationMutants(ref);
    const r = rateLimitMutants(ref);
    const a = algorithmMutants(ref);
    expect(v.map((m) => m.id)).toEqual([
      'remove-verification-call:src/passwords.js:39',
      'remove-verification-call:src/tokens.js:46',
    ]);
    expect(text(v[0]!, 'src/passwords.js')).toContain('return await Promise.resolve(true);');
    expect(r).toHaveLength(2);
    expect(
      r.every(
        (m) =>
          !text(m, 'src/rate-limit.js').includes('.incr(accountKey(email))') ||
          !text(m, 'src/rate-limit.js').includes('.incr(clientKey(ip))'),
      ),
    ).toBe(true);
    expect(a.map((m) => m.id)).toEqual(['accept-any-algorithm:src/tokens.js:43']);
    expect(text(a[0]!, 'src/tokens.js')).toContain('if (!header || false) return null;');
    for (const m of [...v, ...r, ...a])
      for (const [f, buf] of m.files)
        if (f.endsWith('.js')) expect(() => compiles(buf.toString())).not.toThrow();
  });

  it('finds library calls through their imports, and nothing in code without them', () => {
    const lib = files({
      'src/a.js': [
        "const jwt = require('jsonwebtoken');",
        "const { compare } = require('bcryptjs');",
        "const verify = (t, k) => jwt.verify(t, k, { algorithms: ['HS256'], issuer: 'me' });",
        'const check = (p, h) => compare(p, h);',
        'const other = { verify: () => 1 }; other.verify();',
      ].join('\n'),
    });
    expect(verificationMutants(lib).map((m) => m.description)).toEqual([
      'src/a.js:3: jsonwebtoken verify() is not called; it always succeeds.',
      'src/a.js:4: bcryptjs compare() is not called; it always succeeds.',
    ]);
    expect(text(verificationMutants(lib)[0]!, 'src/a.js')).toContain('jwt.decode(t)');
    expect(text(algorithmMutants(lib)[0]!, 'src/a.js')).toContain("jwt.verify(t, k, { issuer: 'me' })");
    expect(rateLimitMutants(lib)).toEqual([]);
  });
});

describe('source mutants on purpose-built code', () => {
  const app = files({
    'package.json': JSON.stringify({ scripts: { start: 'node app.js' }, dependencies: { pg: '^8' } }),
    'app.js': `
const get = (id, user) => db.query('SELECT * FROM notes WHERE id = $1 AND user_id = $2', [id, user]);
const move = (id, owner) => db.query('UPDATE notes SET owner_id = $1 WHERE id = $2', [owner, id]);
async function create(req, res) {
  const body = noteSchema.parse(req.body);
  if (!body.title) return res.status(422).json({ error: 'title' });
  if (body.title.length > 99) throw new ValidationError('too long');
  [1].forEach(() => { throw badRequest('x'); });
  throw new Error('not validation');
}
function helper() { throw notFound(); }
`,
    'migrations/001.sql': 'CREATE UNIQUE INDEX IF NOT EXISTS "notes_user_idx" ON notes (user_id);',
  });

  it('neutralises an ownership predicate in a WHERE clause but not an assignment after SET', () => {
    const ms = ownershipFilterMutants(app);
    expect(ms).toHaveLength(1);
    expect(text(ms[0]!, 'app.js')).toContain("WHERE id = $1 AND ($2::text IS NOT NULL)'");
    expect(text(ms[0]!, 'app.js')).toContain('SET owner_id = $1');
  });

  it('removes every validation rejection of one function, including in its anonymous callbacks, and nothing else', () => {
    const ms = validationMutants(app);
    expect(ms.map((m) => m.id)).toEqual(['remove-validation:app.js:create']);
    const out = text(ms[0]!, 'app.js');
    expect(out).toContain('const body = (req.body);');
    expect(out).not.toContain('status(422)');
    expect(out).not.toContain('ValidationError');
    expect(out).not.toContain('badRequest');
    expect(out).toContain("throw new Error('not validation')");
    expect(out).toContain('throw notFound()');
    expect(() => compiles(out)).not.toThrow();
  });

  it('runtime mutants preload the shim from scripts.start and name the dropped index', () => {
    const ms = runtimeMutants(app);
    expect(ms.map((m) => m.id)).toEqual(['drop-index:notes_user_idx', 'sql-concatenation', 'per-row-query']);
    const pkg = JSON.parse(text(ms[0]!, 'package.json')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe(`export NODE_OPTIONS="--require /app/${SHIM_FILE}"; node app.js`);
    expect(text(ms[0]!, SHIM_FILE)).toMatch(
      /^const STACKGRADE_MUTANT = \{"kind":"drop-index","index":"notes_user_idx"\};/,
    );
    expect(() => compiles(text(ms[1]!, SHIM_FILE))).not.toThrow();
  });

  it('runtime mutants do not apply to a solution without node-postgres', () => {
    const noPg = new Map(app);
    noPg.set('package.json', Buffer.from(JSON.stringify({ scripts: { start: 'node app.js' } })));
    expect(runtimeMutants(noPg)).toEqual([]);
  });
});

describe('MongoDB and Redis mutants', () => {
  it('the catalog-search reference has one per createIndex and one per expiry, each compiling', async () => {
    const reference = new Map(
      await readSolutionDir(path.join(__dirname, '../../../challenges/catalog-search/reference')),
    );
    const ms = [...mongoIndexMutants(reference), ...cacheExpiryMutants(reference)];
    expect(ms.map((m) => m.id)).toEqual([
      'drop-mongo-index:src/db.js:18',
      'drop-mongo-index:src/db.js:19',
      'drop-cache-expiry:src/cache.js:11',
      'drop-cache-expiry:src/rate-limit.js:11',
    ]);
    for (const m of ms)
      for (const [f, buf] of m.files)
        if (f.endsWith('.js')) expect(() => compiles(buf.toString())).not.toThrow();
  });

  it('drops a createIndex call, a SET TTL option, SETEX and an EXPIRE in a MULTI chain', () => {
    const app = files({
      'app.js': `
async function start() { await db.collection('p').createIndex({ category: 1 }); }
const put = (k, v) => redis.set(k, v, 'EX', 60, 'NX');
const put2 = (k, v) => redis.setex(k, 30, v);
const hit = (k) => redis.multi().incr(k).expire(k, 10, 'NX').exec();
const plain = (k, v) => redis.set(k, v);
`,
    });
    expect(text(mongoIndexMutants(app)[0]!, 'app.js')).toContain(
      'async function start() { await Promise.resolve(); }',
    );
    const out = cacheExpiryMutants(app).map((m) => text(m, 'app.js'));
    expect(out).toHaveLength(3);
    expect(out[0]).toContain("redis.set(k, v, 'NX');");
    expect(out[1]).toContain('redis.set(k, v);\nconst hit');
    expect(out[2]).toContain('redis.multi().incr(k).exec()');
    for (const o of out) expect(() => compiles(o)).not.toThrow();
  });
});
