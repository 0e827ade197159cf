import { describe, expect, it } from 'vitest';
import { advanceSnapshot, initialSnapshot, textCues } from '../../src/escalation/frustration.js';
import { fallback, negative, turn } from './helpers.js';

describe('textCues', () => {
  it('finds shouting, exclamation and question runs, strong words', () => {
    expect(textCues('WHERE IS MY ORDER??? This is ridiculous!!!').reasons).toEqual(['shouting (caps)', 'exclamation marks', 'repeated question marks', 'strong words']);
    expect(textCues('where is my order?').score).toBe(0);
    expect(textCues('I got a DVD from the UK').reasons).not.toContain('shouting (caps)');
  });
});

describe('advanceSnapshot', () => {
  it('counts turns and streaks', () => {
    let s = initialSnapshot();
    s = advanceSnapshot(s, fallback('x'));
    s = advanceSnapshot(s, fallback('y'));
    expect(s).toMatchObject({ customerTurns: 2, fallbacksInARow: 2, lowConfidenceInARow: 2 });
    s = advanceSnapshot(s, turn('where is my order'));
    expect(s).toMatchObject({ customerTurns: 3, fallbacksInARow: 0, lowConfidenceInARow: 0 });
  });

  it('builds frustration faster than it fades, with the trend', () => {
    let s = initialSnapshot();
    s = advanceSnapshot(s, negative('late', 0.9));
    const afterOne = s.frustration.level;
    expect(s.frustration.trend).toBe('rising');
    expect(s.frustration.reasons).toEqual(['negative 0.90']);
    s = advanceSnapshot(s, negative('still late', 0.9));
    expect(s.frustration.level).toBeGreaterThan(afterOne);
    const peak = s.frustration.level;
    s = advanceSnapshot(s, turn('ok thanks', { intent: 'thanks', sentiment: 'positive', negativeProbability: 0.02, sentimentScore: 0.9 }));
    expect(s.frustration.trend).toBe('falling');
    expect(peak - s.frustration.level).toBeLessThan(peak * 0.5);
  });

  it('jumps on one furious message', () => {
    const s = advanceSnapshot(initialSnapshot(), negative('THIS IS A JOKE!!! USELESS!!!', 0.99));
    expect(s.frustration.level).toBeGreaterThanOrEqual(0.9);
  });

  it('does not mutate the previous snapshot', () => {
    const s0 = initialSnapshot({ vip: 'true' });
    const copy = structuredClone(s0);
    advanceSnapshot(s0, negative('late', 0.9));
    expect(s0).toEqual(copy);
  });
});
