import {
  allOf,
  CheckFailure,
  defineCheck,
  failed,
  must,
  orderChecks,
  passed,
  Random,
  type CheckContext,
  type HttpClient,
  type PgProbe,
} from '../../../grader';

const ctx = (): CheckContext => ({
  app: null as unknown as HttpClient,
  services: {},
  secrets: {},
  forbidInServiceLog: () => undefined,
  db: null as unknown as PgProbe,
  ref: null,
  refDb: null,
  rng: new Random(1),
  evidence: {},
  state: new Map(),
});

describe('verdicts', () => {
  it('must records evidence and throws the message of a failing verdict', () => {
    const c = ctx();
    must(c, passed({ n: 1 }), { key: 'first' });
    expect(c.evidence).toEqual({ first: { n: 1 } });
    expect(() => must(c, failed('nope', { n: 2 }, 'API1:2023'))).toThrow(new CheckFailure('nope'));
    expect(c.evidence.probe).toEqual({ owasp: 'API1:2023', n: 2 });
    expect(() => must(c, failed('nope'), { message: 'Established wording.' })).toThrow(
      'Established wording.',
    );
  });

  it('allOf passes only when all pass and keeps the first failure message', () => {
    expect(allOf({ a: passed(), b: passed() }).pass).toBe(true);
    const v = allOf({ a: passed({ x: 1 }), b: failed('b failed'), c: failed('c failed') });
    expect(v).toMatchObject({
      pass: false,
      message: 'b failed',
      evidence: { a: { pass: true, x: 1 }, b: { pass: false } },
    });
  });
});

describe('orderChecks', () => {
  it('moves runLast checks to the end keeping relative order', () => {
    const noop = async (): Promise<void> => undefined;
    const checks = [
      defineCheck('s-rate', noop, { runLast: true }),
      defineCheck('a', noop),
      defineCheck('s-lock', noop, { runLast: true }),
      defineCheck('b', noop),
    ];
    expect(orderChecks(checks).map((c) => c.id)).toEqual(['a', 'b', 's-rate', 's-lock']);
  });
});
