import {
  API_KEY_ID_PATTERN,
  generateApiKey,
  hashSecret,
  parseApiKeyToken,
  secretMatches,
} from '../../../api/domain/api-key';

describe('API key tokens', () => {
  it('generates sg_<16 hex>_<43 base64url> tokens that parse back to their id and secret', () => {
    const key = generateApiKey();
    expect(key.token).toMatch(/^sg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(API_KEY_ID_PATTERN.test(key.id)).toBe(true);
    expect(parseApiKeyToken(key.token)).toEqual({ id: key.id, secret: key.secret });
    expect(key.secretSha256).toBe(hashSecret(key.secret));
  });

  it('never repeats an id or a secret over 1,000 keys', () => {
    const keys = Array.from({ length: 1000 }, generateApiKey);
    expect(new Set(keys.map((k) => k.id)).size).toBe(1000);
    expect(new Set(keys.map((k) => k.secret)).size).toBe(1000);
  });

  it.each([
    '',
    'sg_',
    'sk_0123456789abcdef_' + 'a'.repeat(43),
    'sg_0123456789ABCDEF_' + 'a'.repeat(43),
    'sg_0123456789abcdef_' + 'a'.repeat(42),
    'sg_0123456789abcdef_' + 'a'.repeat(44),
    'sg_0123456789abcdef-' + 'a'.repeat(43),
    'sg_0123456789abcdef_' + 'a'.repeat(42) + '=',
  ])('rejects the malformed token %j', (token) => {
    expect(parseApiKeyToken(token)).toBeNull();
  });

  it('matches a secret only against its own hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(secretMatches(a.secret, a.secretSha256)).toBe(true);
    expect(secretMatches(b.secret, a.secretSha256)).toBe(false);
    expect(secretMatches(a.secret, 'not hex')).toBe(false);
  });
});
