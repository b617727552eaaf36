import { signEmbedToken, verifyEmbedToken } from '../../../api/domain/embed-token';
import { signToken, verifyToken } from '../../../api/domain/signed-token';

const SECRET = 'a'.repeat(40);
const NOW = Date.UTC(2026, 0, 1);
const exp = NOW / 1000 + 60;

describe('signed tokens', () => {
  it('a token verifies with its secret and kind before it expires', () => {
    const t = signToken({ kind: 'session', exp, who: 'x' }, SECRET);
    expect(verifyToken(t, SECRET, 'session', NOW)).toEqual({ kind: 'session', exp, who: 'x' });
  });

  it.each([
    ['another secret', (t: string) => verifyToken(t, 'b'.repeat(40), 'session', NOW)],
    ['another kind', (t: string) => verifyToken(t, SECRET, 'embed', NOW)],
    ['after expiry', (t: string) => verifyToken(t, SECRET, 'session', NOW + 61_000)],
    [
      'a changed payload',
      (t: string) =>
        verifyToken(
          `${Buffer.from(JSON.stringify({ kind: 'session', exp: exp + 9999 })).toString('base64url')}.${t.split('.')[1]}`,
          SECRET,
          'session',
          NOW,
        ),
    ],
    ['a cut signature', (t: string) => verifyToken(t.slice(0, -2), SECRET, 'session', NOW)],
    ['no dot', (t: string) => verifyToken(t.replace('.', ''), SECRET, 'session', NOW)],
  ])('is refused with %s', (_what, check) => {
    expect(check(signToken({ kind: 'session', exp }, SECRET))).toBeNull();
  });
});

describe('embed tokens', () => {
  it('carry the challenge and the host origin', () => {
    const t = signEmbedToken(
      { challenge_id: 'orders-api', parent_origin: 'https://jobs.example.com', exp },
      SECRET,
    );
    expect(verifyEmbedToken(t, SECRET, NOW)).toEqual({
      challenge_id: 'orders-api',
      parent_origin: 'https://jobs.example.com',
      exp,
    });
  });

  it('a session token is not an embed token', () => {
    expect(verifyEmbedToken(signToken({ kind: 'session', exp }, SECRET), SECRET, NOW)).toBeNull();
  });
});
