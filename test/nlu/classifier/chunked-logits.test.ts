import { describe, expect, it } from 'vitest';
import { chunkedLogits } from '../../../src/nlu/classifier/chunked-logits.js';
import { logits } from '../../../src/nlu/classifier/math.js';
import { mulberry32 } from '../../../src/nlu/classifier/prng.js';

describe('chunkedLogits', () => {
  it('gives the same logits as `logits`, bit for bit, for any number of rows and labels', () => {
    const rand = mulberry32(9);
    for (const labels of [3, 8, 13, 151]) {
      const rows = 60;
      const weights = Float32Array.from({ length: rows * labels }, () => rand() - 0.5);
      const bias = Float32Array.from({ length: labels }, () => rand() - 0.5);
      for (const n of [0, 1, 15, 16, 17, 50]) {
        const cols = Int32Array.from({ length: n }, () => Math.floor(rand() * rows));
        const vals = Float32Array.from({ length: n }, () => rand());
        const want = logits(weights, bias, labels, cols, vals, 0, n, new Float64Array(labels));
        const got = chunkedLogits(weights, bias, labels, cols, vals, 0, n, new Float64Array(labels));
        expect([...got]).toEqual([...want]);
      }
    }
  });
});
