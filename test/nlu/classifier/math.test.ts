import { describe, expect, it } from 'vitest';
import { batchGradient, batchLoss, gradientBuffers, softmax, type CsrBatch } from '../../../src/nlu/classifier/math.js';
import { mulberry32 } from '../../../src/nlu/classifier/prng.js';

describe('softmax', () => {
  it('gives probabilities that sum to one, in logit order', () => {
    const p = softmax(Float64Array.of(1, 2, 3));
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 12);
    expect(p[0]).toBeCloseTo(0.09003057, 7);
    expect(p[2]).toBeCloseTo(0.66524096, 7);
  });
  it('is stable for huge logits and flattens with temperature', () => {
    const p = softmax(Float64Array.of(1000, 1001));
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 10);
    const hot = softmax(Float64Array.of(0, 1), 10);
    expect(hot[1]).toBeLessThan(0.53);
    expect(hot[1]).toBeGreaterThan(0.5);
  });
});

describe('batchGradient', () => {
  it('matches the numerical gradient of the mean cross-entropy', () => {
    const rand = mulberry32(3);
    const labels = 4, rows = 6, n = 5;
    const weights = Float32Array.from({ length: rows * labels }, () => rand() - 0.5);
    const bias = Float32Array.from({ length: labels }, () => rand() - 0.5);
    // Each example touches 3 distinct rows with random values.
    const rowPtr = Int32Array.from({ length: n + 1 }, (_, i) => i * 3);
    const cols = Int32Array.from({ length: n * 3 }, (_, j) => (j * 2 + Math.floor(j / 3)) % rows);
    const vals = Float32Array.from({ length: n * 3 }, () => rand());
    const data: CsrBatch = { rowPtr, cols, vals, y: Int32Array.of(0, 1, 2, 3, 1) };
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const buf = gradientBuffers(rows, labels, 100);
    batchGradient(weights, bias, labels, data, order, 0, n, buf);
    const h = 1e-3;
    for (let s = 0; s < buf.slotRows.length; s++) {
      const r = buf.slotRows[s];
      for (let l = 0; l < labels; l++) {
        const i = r * labels + l;
        const w0 = weights[i];
        weights[i] = w0 + h;
        const up = batchLoss(weights, bias, labels, data, order, 0, n, 0);
        weights[i] = w0 - h;
        const down = batchLoss(weights, bias, labels, data, order, 0, n, 0);
        weights[i] = w0;
        expect(buf.grad[s * labels + l]).toBeCloseTo((up - down) / (2 * h), 3);
      }
    }
    for (let l = 0; l < labels; l++) {
      const b0 = bias[l];
      bias[l] = b0 + h;
      const up = batchLoss(weights, bias, labels, data, order, 0, n, 0);
      bias[l] = b0 - h;
      const down = batchLoss(weights, bias, labels, data, order, 0, n, 0);
      bias[l] = b0;
      expect(buf.gradBias[l]).toBeCloseTo((up - down) / (2 * h), 3);
    }
    expect(buf.slotRows.length).toBe(rows);
  });
});

describe('logitsBlocked', () => {
  it('equals logits bit for bit', async () => {
    const { logits, logitsBlocked } = await import('../../../src/nlu/classifier/math.js');
    // Every remainder of the 8-label blocks (and the 4/2/1 tails): 1..20 labels, then CLINC150's 151.
    for (const labels of [...Array.from({ length: 20 }, (_, i) => i + 1), 150, 151]) {
      const rows = 40;
      const w = Float32Array.from({ length: rows * labels }, (_, i) => Math.sin(i * 12.9898) * 3);
      const bias = Float32Array.from({ length: labels }, (_, i) => Math.cos(i));
      // A long text's worth of rows (some unseen, -1), in no particular order, so rounding would show any reordering.
      const rand = mulberry32(labels);
      const r = Int32Array.from({ length: 300 }, () => (rand() < 0.2 ? -1 : Math.floor(rand() * rows)));
      const v = Float32Array.from(r, () => rand() * 2 - 1);
      const a = logits(w, bias, labels, r, v, 0, r.length, new Float64Array(labels));
      const kept = [...r.keys()].filter((k) => r[k] >= 0);
      const b = logitsBlocked(w, bias, labels, Int32Array.from(kept, (k) => r[k] * labels), Float64Array.from(kept, (k) => v[k]), kept.length, new Float64Array(labels));
      expect([...b]).toEqual([...a]);
    }
  });
});
