import { createHash, createHmac } from 'node:crypto';
import {
  assessPasswordHash,
  decodeJwt,
  forgeJwts,
  leakOf,
  parseInfo,
  passwordStorage,
  signHs256,
  type HttpResponse,
} from '../../../grader';

describe('assessPasswordHash (OWASP Password Storage Cheat Sheet minimums)', () => {
  const plain = 'Tr0ub4dor&3';
  it('reads the cost from the hash prefix', () => {
    expect(assessPasswordHash(`$2b$12$${'a'.repeat(53)}`, plain)).toMatchObject({
      scheme: 'bcrypt',
      params: { cost: 12 },
      ok: true,
    });
    expect(assessPasswordHash(`$2a$08$${'a'.repeat(53)}`, plain)).toMatchObject({
      scheme: 'bcrypt',
      params: { cost: 8 },
      ok: false,
    });
    expect(assessPasswordHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', plain)).toMatchObject(
      { scheme: 'argon2', ok: true },
    );
    expect(assessPasswordHash('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', plain)).toMatchObject({
      scheme: 'argon2',
      ok: false,
    });
    expect(assessPasswordHash('$scrypt$ln=14,r=8,p=1$c2FsdA$aGFzaA', plain)).toMatchObject({
      scheme: 'scrypt',
      ok: false,
    });
  });
  it("accepts the cheat sheet's equivalent argon2id and scrypt settings, and nothing cheaper", () => {
    const ar = (m: number, t: number) =>
      assessPasswordHash(`$argon2id$v=19$m=${m},t=${t},p=1$c2FsdA$aGFzaA`, plain);
    expect([ar(47104, 1).ok, ar(12288, 3).ok, ar(7168, 5).ok]).toEqual([true, true, true]);
    expect([ar(47103, 1).ok, ar(12288, 2).ok, ar(7168, 4).ok]).toEqual([false, false, false]);
    const sc = (ln: number, r: number, p: number) =>
      assessPasswordHash(`$scrypt$ln=${ln},r=${r},p=${p}$c2FsdA$aGFzaA`, plain);
    expect([sc(17, 8, 1).ok, sc(16, 8, 2).ok, sc(13, 8, 10).ok]).toEqual([true, true, true]);
    expect([sc(16, 8, 1).ok, sc(17, 4, 1).ok, sc(13, 8, 9).ok]).toEqual([false, false, false]);
  });
  it('recognises plain text and unsalted fast digests of the known password', () => {
    expect(assessPasswordHash(plain, plain).scheme).toBe('plaintext');
    expect(assessPasswordHash(createHash('md5').update(plain).digest('hex'), plain).scheme).toBe(
      'unsalted-digest',
    );
    expect(assessPasswordHash(createHash('sha256').update(plain).digest('base64'), plain).scheme).toBe(
      'unsalted-digest',
    );
    expect(assessPasswordHash('0123456789abcdef', plain).scheme).toBe('unknown');
  });
  it('fails equal hashes for the same password (no salt)', () => {
    const h = `$2b$12$${'b'.repeat(53)}`;
    expect(passwordStorage(['user@example.test', h], plain, h).message).toMatch(/not salted/);
    expect(passwordStorage(['user@example.test', h], plain, `$2b$12$${'c'.repeat(53)}`).pass).toBe(true);
  });
});

describe('JWT forgeries', () => {
  const secret = 'a-secret-of-the-test';
  const now = Math.floor(Date.now() / 1000);
  const valid = signHs256({ sub: '42', iat: now, exp: now + 600 }, secret);

  it('signs HS256 verifiably and decodes', () => {
    const [h, p, s] = valid.split('.');
    expect(createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')).toBe(s);
    expect(decodeJwt(valid)).toMatchObject({ header: { alg: 'HS256' }, payload: { sub: '42' } });
    expect(() => decodeJwt('abc')).toThrow(/three segments/);
  });

  it('forges alg none spellings, broken signatures, another subject, expired and nbf tokens', () => {
    const f = Object.fromEntries(forgeJwts(valid, { secret }).map((t) => [t.label, t.token]));
    expect(Object.keys(f)).toHaveLength(10);
    expect(decodeJwt(f['alg nOnE']!).header.alg).toBe('nOnE');
    expect(f['alg none']!.endsWith('.')).toBe(true);
    expect(f['a changed signature']).not.toBe(valid);
    expect(f['a changed signature']!.split('.')[2]).toHaveLength(valid.split('.')[2]!.length);
    expect(decodeJwt(f['another subject with the original signature']!).payload.sub).toBe('420');
    const expired = decodeJwt(f.expired!).payload;
    expect(expired.exp).toBeLessThan(now);
    const [h, p, s] = f.expired!.split('.');
    expect(createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')).toBe(s); // validly signed, only expired
    expect(forgeJwts(valid).map((t) => t.label)).not.toContain('expired');
  });
});

describe('leakOf', () => {
  const res = (status: number, text: string): HttpResponse => ({
    status,
    headers: {},
    text,
    json: undefined,
    ms: 0,
  });
  it('flags 5xx, V8 frames and driver messages, not prose', () => {
    expect(leakOf(res(500, '{}'))).toBe('status 500');
    expect(leakOf(res(400, 'Error: x\n    at handler (/app/src/index.js:10:5)'))).toMatch(/matches/);
    expect(leakOf(res(409, 'duplicate key value violates unique constraint "users_email_key"'))).toMatch(
      /matches/,
    );
    expect(leakOf(res(400, '{"detail":"see the stack trace in our docs"}'))).toBeNull();
  });
});

describe('parseInfo (Redis INFO)', () => {
  it('reads stats counters and keyspace keys', () => {
    const text =
      '# Stats\r\ntotal_commands_processed:17\r\nkeyspace_hits:3\r\nkeyspace_misses:2\r\nexpired_keys:1\r\nevicted_keys:0\r\n# Keyspace\r\ndb0:keys=4,expires=2,avg_ttl=1000\r\n';
    expect(parseInfo(text)).toEqual({
      keyspace_hits: 3,
      keyspace_misses: 2,
      expired_keys: 1,
      evicted_keys: 0,
      total_commands_processed: 17,
      keys: 4,
    });
    expect(parseInfo(text, 1).keys).toBe(0);
  });
});
