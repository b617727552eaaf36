import { parseTrustProxy } from '../../../api/middleware/trust-proxy';

describe('parseTrustProxy (config TRUST_PROXY)', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7,fd00::/8', ['10.0.0.0/8', '192.168.1.7', 'fd00::/8']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('%p → %p', (input, expected) => {
    expect(parseTrustProxy(input)).toEqual(expected);
  });

  it.each(['true', '11', 'proxy.example', '10.0.0.0/33', '::1/129', '10.0.0.1/8/2', '1.2.3', 'loopback,'])(
    'refuses %p',
    (input) => {
      expect(() => parseTrustProxy(input)).toThrow();
    },
  );
});
