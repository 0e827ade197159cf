import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/nlu/classifier/prng.js';
import { sortBounded, sortInts } from '../../../src/nlu/featurizers/sort.js';

describe('sortInts and sortBounded', () => {
  it('sort like Array.prototype.sort: spread values, skewed ones (full buckets), every size', () => {
    const rand = mulberry32(11);
    for (const bound of [16, 1000, 1 << 18, (1 << 18) + 1, 1 << 24]) {
      for (const n of [0, 1, 2, 17, 63, 64, 65, 400, 5000]) {
        const spread = Array.from({ length: n }, () => Math.floor(rand() * bound));
        const skewed = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 12345 % bound : spread[i]));
        for (const values of [spread, skewed]) {
          const want = [...values].sort((a, b) => a - b);
          const a = new Int32Array(n + 3).fill(-7);
          a.set(values);
          sortBounded(a, n, bound, new Int32Array(n));
          expect([...a.subarray(0, n)]).toEqual(want);
          expect([...a.subarray(n)]).toEqual([-7, -7, -7]); // nothing past n is touched
          expect([...sortInts(Int32Array.from(values))]).toEqual(want);
        }
      }
    }
  });
});
