import { describe, expect, it } from 'vitest';
import { advanceSnapshot, initialSnapshot } from '../../src/escalation/frustration.js';
import { EscalationPolicy } from '../../src/escalation/policy.js';
import { fallback, negative, turn } from './helpers.js';

describe('advanceSnapshot', () => {
  it('counts turns and streaks', () => {
    let s = initialSnapshot();
    s = advanceSnapshot(s, fallback('x'));
    s = advanceSnapshot(s, fallback('y'));
    expect(s).toMatchObject({ customerTurns: 2, fallbacksInARow: 2, lowConfidenceInARow: 2 });
    expect(s.frustration.reasons).toContain('2 fallbacks in a row');
    s = advanceSnapshot(s, turn('where is my order'));
    expect(s).toMatchObject({ customerTurns: 3, fallbacksInARow: 0, lowConfidenceInARow: 0 });
  });

  it('builds frustration over negative turns and lets it fall when the customer calms down', () => {
    let s = initialSnapshot();
    s = advanceSnapshot(s, negative('late', 0.9));
    const afterOne = s.frustration.level;
    expect(s.frustration.trend).toBe('rising');
    expect(s.frustration.reasons).toEqual(['negative sentiment 0.90 over 1 turn']);
    s = advanceSnapshot(s, negative('still late', 0.9));
    expect(s.frustration.level).toBeGreaterThan(afterOne);
    const peak = s.frustration.level;
    s = advanceSnapshot(s, turn('ok thanks', { intent: 'thanks', sentiment: 'positive', negativeProbability: 0.02, sentimentScore: 0.9 }));
    expect(s.frustration.trend).toBe('falling');
    expect(s.frustration.level).toBeLessThan(peak);
  });

  it('reads the signals that are not sentiment: a repeated question, asking for a human, waiting in the queue', () => {
    let s = advanceSnapshot(initialSnapshot(), turn('where is my order 4412'));
    s = advanceSnapshot(s, turn('where is my order 4412 please'));
    expect(s.frustration.reasons.some((r) => r.startsWith('repeated the same question'))).toBe(true);
    const human = advanceSnapshot(initialSnapshot(), turn('let me talk to a person', { intent: 'talk_to_human', intentConfidence: 0.9 }));
    expect(human.frustration.reasons).toContain('asked for a human');
    const queued = { ...initialSnapshot(), owner: 'queued' as const, waitingSinceMs: 8 * 60_000 };
    const waited = advanceSnapshot(queued, turn('hello? anyone?'));
    expect(waited.frustration.reasons).toContain('waited 8 min');
    expect(waited.frustration.level).toBeGreaterThan(advanceSnapshot(initialSnapshot(), turn('hello? anyone?')).frustration.level);
  });

  it('takes its frustration settings from the policy', () => {
    const policy = EscalationPolicy.parse({ frustration: { sentimentGain: 2 } });
    const base = advanceSnapshot(initialSnapshot(), negative('late', 0.9));
    expect(advanceSnapshot(initialSnapshot(), negative('late', 0.9), policy).frustration.level).toBeGreaterThan(base.frustration.level);
    expect(() => EscalationPolicy.parse({ frustration: { nope: 1 } })).toThrow();
  });

  it('does not mutate the previous snapshot', () => {
    const s0 = advanceSnapshot(initialSnapshot({ vip: 'true' }), negative('late', 0.9));
    const copy = structuredClone(s0);
    advanceSnapshot(s0, negative('late', 0.9));
    expect(s0).toEqual(copy);
  });
});
