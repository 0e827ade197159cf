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
});
