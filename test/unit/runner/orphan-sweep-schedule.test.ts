import { orphanSweepSchedule } from '../../../runner/worker/archive-sweeper';

describe('orphanSweepSchedule', () => {
  it('allows the first pass, then at most one pass per interval', () => {
    let now = 1_000_000;
    const due = orphanSweepSchedule(300_000, () => now);
    expect(due()).toBe(true);
    now += 30_000;
    expect(due()).toBe(false);
    now += 269_999;
    expect(due()).toBe(false);
    now += 1;
    expect(due()).toBe(true);
    // The interval restarts from the pass that swept, not from the previous allowance.
    now += 299_999;
    expect(due()).toBe(false);
    now += 1;
    expect(due()).toBe(true);
  });
});
