import { describe, expect, it } from 'vitest';
import { trainClassifier } from '../../src/nlu/index.js';
import { decideGate, f1Changes, type GateScores } from '../../src/training/gate.js';
import { evaluateGate } from '../../src/training/gate-evaluate.js';
import { baseExamples, baseTests } from './retrain-fixtures.js';

const scores = (macroF1: number, version = 'v'): GateScores => ({ version, n: 100, accuracy: macroF1, macroF1, ece: 0.05, perLabelF1: {} });

describe('decideGate', () => {
  it('promotes a candidate that is better, equal or within the margin', () => {
    expect(decideGate({ serving: scores(0.9), candidate: scores(0.95) }).promote).toBe(true);
    expect(decideGate({ serving: scores(0.9), candidate: scores(0.9) }).promote).toBe(true);
    const within = decideGate({ serving: scores(0.9), candidate: scores(0.896) });
    expect(within.promote).toBe(true);
    expect(within.macroF1Delta).toBeCloseTo(-0.004, 6);
    expect(within.reasons[0]).toMatch(/within margin 0.005/);
  });

  it('rejects a macro-F1 drop larger than the margin, and honours a custom margin', () => {
    const worse = decideGate({ serving: scores(0.9), candidate: scores(0.89) });
    expect(worse.promote).toBe(false);
    expect(worse.reasons[0]).toMatch(/drops more than the margin 0.005/);
    expect(decideGate({ serving: scores(0.9), candidate: scores(0.89), margin: 0.02 }).promote).toBe(true);
  });

  it('rejects when a conversation script that passed now fails, even with better F1', () => {
    const d = decideGate({
      serving: scores(0.9),
      candidate: scores(0.95),
      conversations: {
        serving: [{ name: 'refund', passed: true }, { name: 'greeting', passed: false }, { name: 'hours', passed: true }],
        candidate: [{ name: 'refund', passed: false }, { name: 'greeting', passed: true }, { name: 'hours', passed: true }],
      },
    });
    expect(d.promote).toBe(false);
    expect(d.newlyFailing).toEqual(['refund']);
    expect(d.newlyPassing).toEqual(['greeting']);
  });

  it('does not blame the candidate for scripts that already failed', () => {
    const d = decideGate({
      serving: scores(0.9), candidate: scores(0.9),
      conversations: { serving: [{ name: 'x', passed: false }], candidate: [{ name: 'x', passed: false }] },
    });
    expect(d.promote).toBe(true);
  });

  it('promotes the first model (nothing serving) but never without held-out data', () => {
    expect(decideGate({ candidate: scores(0.5) }).promote).toBe(true);
    expect(decideGate({ candidate: { ...scores(0.9), n: 0 } }).promote).toBe(false);
  });

  it('lists per-label F1 changes, largest first, with labels of either side', () => {
    expect(f1Changes({ a: 0.5, b: 0.9 }, { a: 0.8, c: 0.7 })).toEqual([
      { label: 'b', before: 0.9, after: undefined, delta: -0.9 },
      { label: 'c', before: undefined, after: 0.7, delta: 0.7 },
      { label: 'a', before: 0.5, after: 0.8, delta: expect.closeTo(0.3, 6) },
    ]);
  });
});

describe('evaluateGate with real models', () => {
  it('promotes a better model and rejects a worse one on the same held-out data', async () => {
    const examples = baseExamples();
    const good = await trainClassifier(examples, { task: 'intent', seed: 1, validationSplit: 0.2 });
    // Every third label shuffled to another intent: a poisoned batch.
    const labels = [...new Set(examples.map((e) => e.label))];
    const poisoned = examples.map((e, i) => (i % 3 === 0 ? { text: e.text, label: labels[(labels.indexOf(e.label) + 1) % labels.length] } : e));
    const bad = await trainClassifier(poisoned, { task: 'intent', seed: 1, validationSplit: 0.2 });
    const tests = baseTests();

    const upgrade = await evaluateGate({ candidate: good, serving: bad, tests });
    expect(upgrade.decision.promote).toBe(true);
    expect(upgrade.candidate.macroF1).toBeGreaterThan(upgrade.serving!.macroF1);
    expect(upgrade.heldOut).toEqual({ n: tests.length, fromTests: tests.length, fromFeedback: 0 });

    const downgrade = await evaluateGate({ candidate: bad, serving: good, tests, feedbackHeldOut: [{ text: 'where did my parcel go', label: 'order_status' }] });
    expect(downgrade.decision.promote).toBe(false);
    expect(downgrade.heldOut.n).toBe(tests.length + 1);
    expect(downgrade.perLabel.length).toBeGreaterThan(0);
  });
});
