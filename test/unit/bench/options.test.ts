import { parseOptions } from '../../../bench/options';

describe('bench options: --only', () => {
  it('runs the whole benchmark unless --only names a measurement', () => {
    expect(parseOptions([], 'B.md').only).toBeNull();
    expect(parseOptions(['--only', 'runtimes', '--iterations', '2'], 'B.md')).toMatchObject({
      only: 'runtimes',
      iterations: 2,
    });
    expect(parseOptions(['--only', 'checks'], 'B.md').only).toBe('checks');
    expect(parseOptions(['--only', 'catalog'], 'B.md').only).toBe('catalog');
  });

  it('grades 20 times per solution for the timing-enumeration rates unless told otherwise', () => {
    expect(parseOptions(['--only', 'enumeration-timing'], 'B.md').iterations).toBe(20);
    expect(parseOptions(['--iterations', '3', '--only', 'enumeration-timing'], 'B.md').iterations).toBe(3);
  });

  it('refuses an unknown or missing measurement with the usage text', () => {
    expect(() => parseOptions(['--only', 'throughput'], 'B.md')).toThrow(
      /--only takes runtimes, checks, enumeration-timing or catalog[\s\S]*usage/,
    );
    expect(() => parseOptions(['--only'], 'B.md')).toThrow(/usage/);
  });
});
