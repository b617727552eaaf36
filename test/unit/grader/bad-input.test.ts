import { BAD_INPUT_CLASSES, countByClass, generateBadInputs, type BadInputSpec } from '../../../grader';
import { Random } from '../../../grader/random';

const cursor = Buffer.from(JSON.stringify([1767261600000000, 123])).toString('base64url');
const list: BadInputSpec = {
  path: '/orders',
  headers: { authorization: 'Bearer t' },
  query: { status: 'paid', limit: '5' },
  cursors: { cursor },
  perClass: 2,
};
const create: BadInputSpec = {
  method: 'POST',
  path: '/orders',
  body: { items: [{ product_id: 7, quantity: 1 }] },
  perClass: 2,
};
/** What wrong/control-bytes-500 answers 500 to: a percent-encoded control byte in the query string. */
const controlInQuery = /%(?:[01][0-9a-f]|7f)/i;

describe('generateBadInputs', () => {
  it('gives the same inputs for the same seed and others for another seed', () => {
    const a = generateBadInputs(new Random(42), list).map((g) => g.request);
    expect(generateBadInputs(new Random(42), list).map((g) => g.request)).toEqual(a);
    expect(generateBadInputs(new Random(43), list).map((g) => g.request)).not.toEqual(a);
  });

  it('generates every class for every target, in a bounded count', () => {
    const g = generateBadInputs(new Random(1), list);
    // 3 parameters × (3 string classes + numbers) × 2 + 3 repeated + cursor types and values × 2.
    expect(g).toHaveLength(31);
    expect(Object.keys(countByClass(g)).sort()).toEqual(
      BAD_INPUT_CLASSES.filter((c) => c !== 'wrong-content-type').sort(),
    );
    for (const target of ['query:status', 'query:limit', 'query:cursor'])
      expect(new Set(g.filter((x) => x.target === target).map((x) => x.class)).size).toBeGreaterThanOrEqual(
        5,
      );
    const b = generateBadInputs(new Random(1), create);
    expect(b).toHaveLength(26);
    expect(b.filter((x) => x.class === 'wrong-content-type')).toHaveLength(2);
  });

  it('writes numbers past every integer range as raw JSON literals', () => {
    const bodies = generateBadInputs(new Random(5), { ...create, classes: ['huge-number'], perClass: 4 });
    for (const x of bodies) {
      expect(typeof x.request.body).toBe('string');
      expect(x.request.body as string).not.toContain('__stackgrade_number__');
      expect(x.request.body as string).toMatch(/:(?:-?\d{10,}|-?1e\d+)[,}]/);
    }
  });

  it('mutates a real cursor into well-formed cursors of the same encoding with a wrong type', () => {
    const g = generateBadInputs(new Random(9), { ...list, classes: ['cursor-wrong-type'], perClass: 4 });
    for (const x of g) {
      const raw = decodeURIComponent(/cursor=([^&]+)/.exec(x.request.path)![1]!);
      const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      expect(JSON.stringify(v)).not.toBe('[1767261600000000,123]');
      if (Array.isArray(v) && v.length === 2) expect(v.every((n) => typeof n === 'number')).toBe(false);
    }
  });

  it('sends a control byte in every query parameter whatever the seed (seeds 1–10)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const g = generateBadInputs(new Random(seed), list).filter((x) => x.class === 'control-bytes');
      for (const p of ['status', 'limit', 'cursor'])
        expect(g.some((x) => x.target === `query:${p}` && controlInQuery.test(x.request.path))).toBe(true);
    }
  });
});
