import { describe, expect, it } from 'vitest';
import { LinearModel } from '../../../src/nlu/classifier/linear.js';

describe('LinearModel', () => {
  it('scores a vector given as blocks exactly as its concatenation', () => {
    const labels = 11, dim = 30;
    const rowOf = Int32Array.from({ length: dim }, (_, f) => (f % 4 === 3 ? -1 : f));
    const weights = Float32Array.from({ length: dim * labels }, (_, i) => Math.sin(i * 7.1));
    const model = new LinearModel(labels, dim, rowOf, weights, Float32Array.from({ length: labels }, (_, l) => l / 10));
    const a = { indices: Int32Array.of(0, 3, 5), values: Float32Array.of(0.5, 0.25, -1) };
    const b = { indices: Int32Array.of(1, 2, 9), values: Float32Array.of(2, 0.125, 0.75) };
    const whole = { indices: Int32Array.of(0, 3, 5, 21, 22, 30 - 1), values: Float32Array.of(0.5, 0.25, -1, 2, 0.125, 0.75) };
    expect([...model.scoresOfParts([a, b], [0, 20])]).toEqual([...model.scores(whole)]);
  });

  it('holds the weights once: the weights it exposes are the ones the logits read', () => {
    const labels = 3, dim = 4;
    const rowOf = Int32Array.of(0, 1, 2, 3);
    const given = Float32Array.from({ length: dim * labels }, (_, i) => i / 10);
    const model = new LinearModel(labels, dim, rowOf, given, new Float32Array(labels));
    const x = { indices: Int32Array.of(2), values: Float32Array.of(1) };
    const before = [...model.scores(x)];
    expect(before).toEqual([...given.subarray(6, 9)].map((w) => Math.fround(w)));
    given[6] = 100; // the trainer's buffer: the model no longer depends on it
    expect([...model.scores(x)]).toEqual(before);
    model.weights[2 * labels] += 1; // one copy: a change there is what the logits see
    expect(model.scores(x)[0]).toBeCloseTo(before[0] + 1, 5);
  });

  it('keeps the feature-to-row table at two bytes an entry when the rows fit, with the same scores', () => {
    const labels = 2, dim = 70_000;
    const score = (rows: number) => {
      const rowOf = Int32Array.from({ length: dim }, (_, f) => (f % 3 === 0 ? -1 : f % rows));
      const model = new LinearModel(labels, dim, rowOf, Float32Array.from({ length: rows * labels }, (_, i) => Math.cos(i)), new Float32Array(labels));
      const x = { indices: Int32Array.of(1, 2, 3, 32_767, 40_000, 69_999), values: Float32Array.of(1, -1, 2, 0.5, 0.25, 3) };
      let expected = 0;
      for (const [j, f] of [...x.indices].entries()) if (rowOf[f] >= 0) expected += Math.fround(Math.cos(rowOf[f] * labels)) * x.values[j];
      return { model, expected, got: model.scores(x)[0] };
    };
    const small = score(32_767);
    expect(small.model.rowOf).toBeInstanceOf(Int16Array);
    expect(small.got).toBeCloseTo(small.expected, 5);
    const large = score(50_000); // rows up to 49,999: they would not fit in 16 bits
    expect(large.model.rowOf).toBeInstanceOf(Int32Array);
    expect(large.got).toBeCloseTo(large.expected, 5);
  });
});
