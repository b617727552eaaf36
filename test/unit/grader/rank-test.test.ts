/** The Mann–Whitney U test of auth-service's timing check (challenges/auth-service/hidden-tests/rank-test.ts). */
import { mannWhitney, median } from '../../../challenges/auth-service/hidden-tests/rank-test';

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('mannWhitney', () => {
  it('separates two samples that do not overlap (U = 0, z ≈ -3.78, p ≈ 1.6e-4)', () => {
    const t = mannWhitney(range(1, 10), range(11, 10));
    expect(t.u).toBe(0);
    expect(t.z).toBeCloseTo(-3.7796, 3);
    expect(t.p).toBeCloseTo(1.57e-4, 5);
  });

  it('finds nothing between interleaved samples, and handles ties', () => {
    const odd = range(0, 32).map((i) => 2 * i + 1);
    const even = range(0, 32).map((i) => 2 * i + 2);
    expect(mannWhitney(odd, even).p).toBeGreaterThan(0.8);
    const tied = mannWhitney([5, 5, 5, 5], [5, 5, 5, 5]);
    expect([tied.u, tied.z]).toEqual([8, 0]);
    expect(tied.p).toBeCloseTo(1, 6);
  });

  it('is symmetric: swapping the samples flips z and keeps p', () => {
    const a = [3, 9, 4, 12, 8, 7];
    const b = [10, 15, 11, 14, 13, 6];
    const ab = mannWhitney(a, b);
    const ba = mannWhitney(b, a);
    expect(ab.z).toBeCloseTo(-ba.z, 10);
    expect(ab.p).toBeCloseTo(ba.p, 10);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
