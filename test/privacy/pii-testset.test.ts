import { describe, expect, it } from 'vitest';
import { generatePiiTestSet, scoreRecall } from '../../src/privacy/pii-testset.js';
import { redact } from '../../src/privacy/redact.js';

describe('generatePiiTestSet', () => {
  const cases = generatePiiTestSet();

  it('generates at least 1,000 messages with every type planted often', () => {
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    const counts: Record<string, number> = {};
    for (const c of cases) for (const s of c.spans) counts[s.type] = (counts[s.type] ?? 0) + 1;
    for (const type of ['email', 'phone', 'card', 'iban', 'address', 'ip']) expect(counts[type], type).toBeGreaterThan(150);
  });

  it('is deterministic for a seed and different across seeds', () => {
    expect(generatePiiTestSet({ seed: 3, size: 20 })).toEqual(generatePiiTestSet({ seed: 3, size: 20 }));
    expect(generatePiiTestSet({ seed: 3, size: 20 })).not.toEqual(generatePiiTestSet({ seed: 4, size: 20 }));
  });

  it('records spans that point at the planted values', () => {
    for (const c of cases.slice(0, 200)) {
      for (const s of c.spans) {
        const value = c.text.slice(s.start, s.end);
        expect(value.trim()).toBe(value);
        expect(value.length).toBeGreaterThan(4);
      }
    }
  });

  it('redact finds >= 99% of planted values of each type and alters no distractor', () => {
    const report = scoreRecall(cases, (t) => redact(t));
    for (const [type, entry] of Object.entries(report.perType)) expect(entry.recall, `${type}: ${JSON.stringify(report.misses.filter((m) => m.span.type === type).slice(0, 3))}`).toBeGreaterThanOrEqual(0.99);
    expect(report.overall.recall).toBeGreaterThanOrEqual(0.99);
    expect(report.distractorsHit).toBe(0);
    expect(report.spurious).toBeLessThanOrEqual(cases.length * 0.01);
  });

  it('scoreRecall counts a value as missed when it is only partly covered', () => {
    const one = [{ text: 'mail a@b.com', spans: [{ type: 'email' as const, start: 5, end: 12 }], distractors: [] }];
    expect(scoreRecall(one, () => ({ found: [{ type: 'email', start: 5, end: 9 }] })).overall.recall).toBe(0);
    expect(scoreRecall(one, () => ({ found: [{ type: 'email', start: 5, end: 12 }] })).overall.recall).toBe(1);
  });
});
