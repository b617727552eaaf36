import { isLaterProgress, type GradingProgress } from '../../../runner/contract/grading-progress';

describe('isLaterProgress', () => {
  const queued: GradingProgress = { stage: 'queued' };
  const installing: GradingProgress = { stage: 'installing' };
  const checks = (done: number): GradingProgress => ({ stage: 'checks', checks_done: done, checks_total: 5 });

  it('a later stage is later; the same or an earlier stage is not', () => {
    expect(isLaterProgress(installing, queued)).toBe(true);
    expect(isLaterProgress(checks(0), installing)).toBe(true);
    expect(isLaterProgress(queued, installing)).toBe(false);
    expect(isLaterProgress(installing, installing)).toBe(false);
    expect(isLaterProgress(installing, checks(3))).toBe(false);
  });

  it('within checks, only more checks done is later', () => {
    expect(isLaterProgress(checks(2), checks(1))).toBe(true);
    expect(isLaterProgress(checks(2), checks(2))).toBe(false);
    expect(isLaterProgress(checks(1), checks(2))).toBe(false);
  });
});
