import { describe, expect, it } from 'vitest';
import { evaluatePredictions, sentimentScore } from '../../src/nlu/evaluate.js';
import type { Prediction } from '../../src/nlu/types.js';

const pred = (top: string, confidence: number, fallback = false, ranking?: Prediction['ranking']): Prediction => ({
  label: fallback ? 'fallback' : top, top, confidence, ranking: ranking ?? [{ label: top, confidence }], margin: confidence, fallback, ambiguous: false,
});

describe('evaluatePredictions', () => {
  it('computes accuracy, per-label scores, confusion and out-of-scope metrics', () => {
    const data = [
      { text: 'a1', label: 'a' }, { text: 'a2', label: 'a' }, { text: 'b1', label: 'b' }, { text: 'o1', label: 'oos' }, { text: 'o2', label: 'oos' },
    ];
    const ev = evaluatePredictions(data, [pred('a', 0.9), pred('b', 0.6), pred('b', 0.8), pred('a', 0.2, true), pred('a', 0.7)]);
    expect(ev.n).toBe(5);
    expect(ev.accuracy).toBeCloseTo(3 / 5, 10);
    expect(ev.inScopeAccuracy).toBeCloseTo(2 / 3, 10);
    expect(ev.oosRecall).toBe(0.5);
    expect(ev.perLabel.a).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(ev.perLabel.b.precision).toBe(0.5);
    expect(ev.mostConfused[0].count).toBe(1);
    expect(ev.misclassified.map((m) => m.text)).toEqual(['a2', 'o2']);
    expect(ev.reliability).toHaveLength(15);
  });

  it('maps neutral to the likelier polarity for binary sentiment data when asked', () => {
    const ranking = [{ label: 'neutral', confidence: 0.5 }, { label: 'negative', confidence: 0.3 }, { label: 'positive', confidence: 0.2 }];
    const data = [{ text: 'meh', label: 'negative' }];
    expect(evaluatePredictions(data, [pred('neutral', 0.5, false, ranking)]).accuracy).toBe(0);
    expect(evaluatePredictions(data, [pred('neutral', 0.5, false, ranking)], { binaryFromNeutral: true }).accuracy).toBe(1);
    expect(sentimentScore(pred('neutral', 0.5, false, ranking))).toBeCloseTo(-0.1, 10);
  });
});
