import { storeSafeKey, storeSafeValue } from '../../../runner/contract/store-safe-keys';

describe('store-safe evidence keys', () => {
  it.each([
    ['$gt', '\uFF04gt'],
    ['a.b.c', 'a\uFF0Eb\uFF0Ec'],
    ['$where.x', '\uFF04where\uFF0Ex'],
    ['price$', 'price$'],
    ['plain', 'plain'],
  ])('%p → %p', (key, expected) => {
    expect(storeSafeKey(key)).toBe(expected);
  });

  it('rewrites keys at every depth, in arrays too, and never values', () => {
    const input = { body: { price: { $gt: '' } }, list: [{ 'a.b': '$keep.me' }], n: 1, s: null };
    expect(storeSafeValue(input)).toEqual({
      body: { price: { '\uFF04gt': '' } },
      list: [{ 'a\uFF0Eb': '$keep.me' }],
      n: 1,
      s: null,
    });
    // The input is not modified.
    expect(input.body.price).toEqual({ $gt: '' });
  });
});
