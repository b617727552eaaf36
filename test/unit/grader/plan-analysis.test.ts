import { analyzePlan, filterColumns, parseAutoExplainLog } from '../../../grader';

const sizes = new Map([
  ['books', 1_000_000],
  ['authors', 1_000],
]);

describe('analyzePlan (docs/grading.md, "Plan findings")', () => {
  it('E1: a Seq Scan on a large relation names its filter columns; small relations are not flagged', () => {
    const plan = [
      {
        Plan: {
          'Node Type': 'Hash Join',
          Plans: [
            {
              'Node Type': 'Seq Scan',
              'Relation Name': 'books',
              Filter: '((author_id = $1) AND (lower(title) ~~ $2))',
            },
            { 'Node Type': 'Seq Scan', 'Relation Name': 'authors', Filter: '(name = $3)' },
          ],
        },
      },
    ];
    const f = analyzePlan(plan, sizes);
    expect(f).toEqual([
      expect.objectContaining({ kind: 'seq_scan_large', relation: 'books', columns: ['author_id', 'title'] }),
    ]);
  });

  it('E3: a Nested Loop whose inner side scans a large relation sequentially is a missing join index', () => {
    const plan = {
      Plan: {
        'Node Type': 'Nested Loop',
        Plans: [
          { 'Node Type': 'Index Scan', 'Relation Name': 'authors' },
          {
            'Node Type': 'Materialize',
            Plans: [
              { 'Node Type': 'Seq Scan', 'Relation Name': 'books', Filter: '(author_id = authors.id)' },
            ],
          },
        ],
      },
    };
    expect(analyzePlan(plan, sizes).map((f) => f.kind)).toEqual(
      expect.arrayContaining(['nested_loop_inner_seq_scan', 'seq_scan_large']),
    );
  });

  it('E4, E5, E7 need executed-plan fields and fire on them only', () => {
    const executed = {
      Plan: {
        'Node Type': 'Limit',
        'Actual Rows': 10,
        Plans: [
          {
            'Node Type': 'Sort',
            'Sort Method': 'external merge',
            'Sort Space Type': 'Disk',
            'Actual Rows': 100_010,
            'Actual Loops': 1,
            Plans: [{ 'Node Type': 'Hash', 'Hash Batches': 4, Plans: [] }],
          },
        ],
      },
    };
    expect(
      analyzePlan(executed, sizes)
        .map((f) => f.kind)
        .sort(),
    ).toEqual(['hash_batches', 'large_offset', 'sort_spill']);
    const generic = { Plan: { 'Node Type': 'Limit', Plans: [{ 'Node Type': 'Sort', Plans: [] }] } };
    expect(analyzePlan(generic, sizes)).toEqual([]);
  });

  it('filterColumns reads column names from filter expressions', () => {
    expect(filterColumns('((o.customer_id = $1) AND ((status)::text = $2))')).toEqual([
      'customer_id',
      'status',
    ]);
    expect(filterColumns(undefined)).toEqual([]);
  });
});

describe('parseAutoExplainLog', () => {
  it("keeps the candidate role's JSON plans, with their continuation lines, and skips other users", () => {
    const log = [
      '2026-01-01 10:00:00.000 UTC [42] user=app LOG:  duration: 0.031 ms  plan:',
      '\t{',
      '\t  "Query Text": "SELECT 1",',
      '\t  "Plan": {"Node Type": "Result"}',
      '\t}',
      '2026-01-01 10:00:00.100 UTC [43] user=stackgrade_admin LOG:  duration: 0.020 ms  plan:',
      '\t{"Query Text": "SELECT 2", "Plan": {"Node Type": "Result"}}',
      '2026-01-01 10:00:00.200 UTC [42] user=app LOG:  duration: 0.010 ms  plan:',
      '\t{"Query Text": "SELECT 3", "Plan": {"Node Type": "Res',
    ].join('\n');
    expect(parseAutoExplainLog(log, 'app')).toEqual([
      { query: 'SELECT 1', plan: { 'Query Text': 'SELECT 1', Plan: { 'Node Type': 'Result' } } },
    ]);
  });
});
