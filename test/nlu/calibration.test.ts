import { describe, expect, it } from 'vitest';
import { chooseThreshold, expectedCalibrationError, fitTemperature } from '../../src/nlu/calibration.js';
import { softmax } from '../../src/nlu/classifier/math.js';
import { mulberry32 } from '../../src/nlu/classifier/prng.js';

describe('expectedCalibrationError', () => {
  it('is zero when confidence equals accuracy and counts 15 bins', () => {
    const { ece, bins } = expectedCalibrationError([0.5, 0.5], [true, false]);
    expect(ece).toBe(0);
    expect(bins).toHaveLength(15);
    expect(expectedCalibrationError([0.9, 0.8], [true, false]).ece).toBeCloseTo(0.45, 10);
  });
});

describe('fitTemperature', () => {
  it('softens an over-confident model and lowers its ECE', () => {
    // True class gets logit 1 more than 4 others (p ~ 0.4 right), but the model reports logits x8.
    const rand = mulberry32(11);
    const logits: Float64Array[] = [];
    const y: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const truth = Math.floor(rand() * 5);
      const z = Float64Array.from({ length: 5 }, (_, l) => (l === truth ? 1 : 0) + rand() * 2);
      logits.push(z.map((v) => v * 8));
      y.push(truth);
    }
    const T = fitTemperature(logits, y);
    expect(T).toBeGreaterThan(2);
    const conf = (t: number) => logits.map((z) => Math.max(...softmax(Float64Array.from(z), t)));
    const correct = logits.map((z, i) => z.indexOf(Math.max(...z)) === y[i]);
    const before = expectedCalibrationError(conf(1), correct).ece;
    const after = expectedCalibrationError(conf(T), correct).ece;
    expect(after).toBeLessThan(before / 3);
  });
});

describe('chooseThreshold', () => {
  it('separates out-of-scope examples when there are some', () => {
    const points = [
      ...[0.9, 0.8, 0.7, 0.95].map((c) => ({ top: 'a', confidence: c, truth: 'a' })),
      ...[0.2, 0.3, 0.1].map((c) => ({ top: 'a', confidence: c, truth: 'oos' })),
    ];
    const { threshold, method } = chooseThreshold(points, { minOos: 3 });
    expect(method).toBe('oos-balanced');
    expect(threshold).toBeGreaterThan(0.3);
    expect(threshold).toBeLessThanOrEqual(0.7);
  });
  it('ignores too few out-of-scope examples: the threshold would swing with each of them', () => {
    const inScope = Array.from({ length: 101 }, (_, i) => ({ top: 'a', confidence: i / 100, truth: 'a' }));
    const fewOos = [0.2, 0.3, 0.1].map((c) => ({ top: 'a', confidence: c, truth: 'oos' }));
    expect(chooseThreshold([...inScope, ...fewOos], { percentile: 0.05 })).toEqual({ threshold: 0.05, method: 'percentile' });
    const enough = Array.from({ length: 20 }, (_, i) => ({ top: 'a', confidence: 0.1 + i / 100, truth: 'oos' }));
    expect(chooseThreshold([...inScope, ...enough]).method).toBe('oos-balanced');
  });
  it('picks the threshold a pass over every point per candidate would pick', () => {
    const rand = mulberry32(4);
    for (let trial = 0; trial < 20; trial++) {
      const labels = ['a', 'b', 'oos'];
      // Rounded confidences so that ties between points and candidates occur.
      const points = Array.from({ length: 200 }, () => ({
        top: labels[Math.floor(rand() * 3)], truth: labels[Math.floor(rand() * 3)], confidence: Math.round(rand() * 50) / 50,
      }));
      const inScope = points.filter((p) => p.truth !== 'oos');
      const oos = points.filter((p) => p.truth === 'oos');
      let want = { threshold: 0, score: -Infinity };
      for (const t of [0, ...new Set(points.map((p) => p.confidence))].sort((x, y) => x - y)) {
        const right = inScope.filter((p) => p.top === p.truth && p.confidence >= t).length;
        const caught = oos.filter((p) => p.top === 'oos' || p.confidence < t).length;
        const score = right / inScope.length + 0.5 * (caught / oos.length);
        if (score > want.score + 1e-12) want = { threshold: t, score };
      }
      expect(chooseThreshold(points)).toEqual({ threshold: want.threshold, method: 'oos-balanced' });
    }
  });
  it('uses a low percentile of correct confidences without out-of-scope data', () => {
    const points = Array.from({ length: 101 }, (_, i) => ({ top: 'a', confidence: i / 100, truth: 'a' }));
    expect(chooseThreshold(points, { percentile: 0.05 })).toEqual({ threshold: 0.05, method: 'percentile' });
  });
});
