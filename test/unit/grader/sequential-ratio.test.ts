import { decideRatio, median, tQuantile995 } from '../../../grader/perf/sequential-ratio';

const rule = { minRatio: 0.5, minRuns: 3, maxRuns: 12 };

describe('decideRatio (sequential throughput comparison)', () => {
  it('waits for minRuns pairs before deciding, however clear the first pairs are', () => {
    expect(decideRatio([1000, 1010], [1000, 990], rule).verdict).toBe('continue');
  });

  it('passes early when the interval of the ratio lies above minRatio', () => {
    const d = decideRatio([1000, 1020, 990], [1000, 1000, 1010], rule);
    expect(d).toMatchObject({ verdict: 'pass', rule: 'interval', pairs: 3 });
    expect(d.interval![0]).toBeGreaterThan(0.5);
  });

  it('fails early when the interval lies below minRatio', () => {
    const d = decideRatio([50, 52, 49], [1000, 1010, 990], rule);
    expect(d).toMatchObject({ verdict: 'fail', rule: 'interval' });
    expect(d.interval![1]).toBeLessThan(0.5);
  });

  it('keeps measuring while the interval straddles minRatio, then decides on the ratio of medians', () => {
    const cand = [300, 800, 400];
    const ref = [1000, 1000, 1000];
    expect(decideRatio(cand, ref, rule).verdict).toBe('continue');
    const atMax = decideRatio(cand, ref, { ...rule, maxRuns: 3 });
    expect(atMax).toMatchObject({ verdict: 'fail', rule: 'max', ratio: 0.4 });
    expect(decideRatio([600, 400, 700], ref, { ...rule, maxRuns: 3 })).toMatchObject({
      verdict: 'pass',
      rule: 'max',
    });
  });

  it('counts a window that served nothing as a floor rate, not as an infinite log-ratio', () => {
    const d = decideRatio([0, 0, 0], [800, 810, 790], rule);
    expect(d.verdict).toBe('fail');
    expect(Number.isFinite(d.geometricRatio)).toBe(true);
  });

  it('never decides early against the ratio of medians', () => {
    // The geometric mean clears 0.5 but the medians do not: the interval alone does not decide.
    const d = decideRatio([2000, 450, 460, 470], [1000, 1000, 1000, 1000], { ...rule, minRuns: 2 });
    expect(d.ratio).toBeLessThan(0.5);
    expect(d.verdict).not.toBe('pass');
  });

  it('uses the tabulated t quantiles and the lower median', () => {
    expect(tQuantile995(2)).toBe(9.925);
    expect(tQuantile995(100)).toBe(2.75);
    expect(() => tQuantile995(0)).toThrow(RangeError);
    expect(median([3, 1, 2, 4])).toBe(2);
    expect(() => decideRatio([1], [1, 2], rule)).toThrow(RangeError);
  });
});
