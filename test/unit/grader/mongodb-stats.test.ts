/**
 * MongoDB explain and profiler readers on documents shaped as MongoDB 7 returns them (field names from the
 * MongoDB manual, "explain Results" and "Database Profiler Output"). FerretDB 1.24, the only MongoDB-compatible
 * server here, implements neither, so these shapes are not checked against a live MongoDB in this repository.
 */
import { explainStats, indexedMongoReads, profileStats, scanRatio } from '../../../grader';

describe('explainStats', () => {
  it('reads a classic-engine COLLSCAN with a blocking SORT', () => {
    const s = explainStats({
      queryPlanner: {
        winningPlan: { stage: 'SORT', inputStage: { stage: 'COLLSCAN', direction: 'forward' } },
      },
      executionStats: { nReturned: 20, totalKeysExamined: 0, totalDocsExamined: 100_000 },
    });
    expect(s).toEqual({
      docsExamined: 100_000,
      keysExamined: 0,
      nReturned: 20,
      stages: ['SORT', 'COLLSCAN'],
      collscan: true,
      blockingSort: true,
    });
    expect(scanRatio(s!)).toBe(5000);
  });

  it('reads a slot-based-engine IXSCAN (winningPlan.queryPlan) and aggregate $cursor explains', () => {
    const sbe = {
      queryPlanner: {
        winningPlan: { queryPlan: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', keyPattern: { a: 1 } } } },
      },
      executionStats: { nReturned: 5, totalKeysExamined: 5, totalDocsExamined: 5 },
    };
    expect(explainStats(sbe)).toMatchObject({
      stages: ['FETCH', 'IXSCAN'],
      collscan: false,
      blockingSort: false,
    });
    expect(explainStats({ stages: [{ $cursor: sbe }] })).toMatchObject({ nReturned: 5 });
  });

  it('returns null for FerretDB 1.x explain output (SQLite plan, no executionStats)', () => {
    expect(
      explainStats({
        queryPlanner: { Plan: ['id=2 parent=0 notused=0 detail=SCAN books_07d5b411'] },
        explainVersion: '1',
        ok: 1,
      }),
    ).toBeNull();
  });
});

describe('profileStats and indexedMongoReads', () => {
  const collscan = profileStats({
    op: 'query',
    ns: 'shop.orders',
    docsExamined: 50_000,
    keysExamined: 0,
    nreturned: 20,
    planSummary: 'COLLSCAN',
    hasSortStage: true,
  });
  const ixscan = profileStats({
    op: 'query',
    ns: 'shop.orders',
    docsExamined: 20,
    keysExamined: 20,
    nreturned: 20,
    planSummary: 'IXSCAN { customer_id: 1, created_at: -1 }',
  });

  it('reads planSummary, counters and hasSortStage', () => {
    expect(collscan).toMatchObject({ collscan: true, blockingSort: true, stages: ['COLLSCAN'] });
    expect(ixscan).toMatchObject({ collscan: false, blockingSort: false, stages: ['IXSCAN'] });
  });

  it('fails on a large COLLSCAN and passes an index scan; tiny scans are not judged', () => {
    expect(indexedMongoReads([ixscan], { label: 'GET /orders' }).pass).toBe(true);
    const bad = indexedMongoReads([ixscan, collscan], { label: 'GET /orders' });
    expect(bad.pass).toBe(false);
    expect(bad.message).toMatch(/50000 documents to return 20 \(COLLSCAN\)/);
    expect(indexedMongoReads([{ ...collscan, docsExamined: 30 }], { label: 'GET /tiny' }).pass).toBe(true);
  });
});
