import { describe, expect, it } from 'vitest';
import { logitsBlocked } from '../../../src/nlu/classifier/math.js';
import { LinearModel } from '../../../src/nlu/classifier/linear.js';
import { mulberry32 } from '../../../src/nlu/classifier/prng.js';
import { wasmLogits } from '../../../src/nlu/classifier/wasm-logits.js';

function randomModel(labels: number, rows: number, seed: number) {
  const rand = mulberry32(seed);
  return {
    weights: Float32Array.from({ length: rows * labels }, () => (rand() - 0.5) * 6),
    bias: Float32Array.from({ length: labels }, () => rand() - 0.5),
    rand,
  };
}

describe('wasmLogits', () => {
  it('is available on this Node (WebAssembly SIMD)', () => {
    expect(wasmLogits(new Float32Array(16), new Float32Array(8), 8)).toBeDefined();
  });

  it('gives the logits of logitsBlocked bit for bit, a partial last block included', () => {
    for (const labels of [2, 3, 7, 8, 9, 15, 16, 17, 31, 150, 151]) {
      const rows = 60;
      const { weights, bias, rand } = randomModel(labels, rows, labels);
      const k = wasmLogits(weights, bias, labels, 512)!.kernel;
      for (const n of [0, 1, 7, 300]) {
        for (let j = 0; j < n; j++) { k.bases[j] = Math.floor(rand() * rows) * labels; k.values[j] = Math.fround(rand() * 2 - 1); }
        const want = logitsBlocked(weights, bias, labels, k.bases, k.values, n, new Float64Array(labels));
        expect([...k.logits(n, new Float64Array(labels).fill(NaN))]).toEqual([...want]);
      }
    }
  });
});

describe('LinearModel with the kernel', () => {
  it('scores the same as the JavaScript kernel, also for a text longer than the kernel holds', () => {
    for (const labels of [3, 151]) scoresLikeJavaScript(labels);
  });
});

/** A LinearModel's scores against logitsBlocked on the same rows, for texts of 0 to 20,000 features. */
function scoresLikeJavaScript(labels: number): void {
  const rows = 200, dim = 1000;
  const { weights, bias, rand } = randomModel(labels, rows, 7);
  const rowOf = Int32Array.from({ length: dim }, (_, f) => (f % 5 === 0 ? -1 : f % rows));
  const model = new LinearModel(labels, dim, rowOf, weights, bias);
  for (const n of [0, 5, 400, 20_000]) {
    const indices = Int32Array.from({ length: n }, () => Math.floor(rand() * dim));
    const values = Float32Array.from({ length: n }, () => rand());
    const bases = new Int32Array(n);
    const vals = new Float64Array(n);
    let m = 0;
    for (let j = 0; j < n; j++) if (rowOf[indices[j]] >= 0) { bases[m] = rowOf[indices[j]] * labels; vals[m++] = values[j]; }
    const want = logitsBlocked(weights, bias, labels, bases, vals, m, new Float64Array(labels));
    expect([...model.scores({ indices, values })]).toEqual([...want]);
  }
}
