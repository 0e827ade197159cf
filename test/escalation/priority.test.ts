import { describe, expect, it } from 'vitest';
import { EscalationPolicy } from '../../src/escalation/policy.js';
import { basePriority, queuePriority } from '../../src/escalation/priority.js';
import { fallback, negative, play, turn } from './helpers.js';

const MIN = 60_000;

describe('priorities', () => {
  it('orders escalations: furious vip > furious > asked for a human > calm fallbacks', () => {
    const furiousVip = play([negative('THIS IS RIDICULOUS!!!', 0.99)], { attributes: { vip: 'true' } }).decisions[0];
    const furious = play([negative('THIS IS RIDICULOUS!!!', 0.99)]).decisions[0];
    const human = play([turn('a human please', { intent: 'talk_to_human', intentConfidence: 0.9 })]).decisions[0];
    const lost = play([fallback('a'), fallback('b'), fallback('c')]).decisions[2];
    for (const d of [furiousVip, furious, human, lost]) expect(d.action).toBe('escalate');
    expect(furiousVip.priority).toBeGreaterThan(furious.priority);
    expect(furious.priority).toBeGreaterThan(human.priority);
    expect(human.priority).toBeGreaterThan(lost.priority);
  });

  it('adds waiting time (capped) so a calm customer is not starved', () => {
    const now = 1_000 * MIN;
    const calmButWaiting = { priority: 10, queuedAt: now - 25 * MIN };
    const angryJustArrived = { priority: 30, queuedAt: now };
    expect(queuePriority(calmButWaiting, now)).toBe(35);
    expect(queuePriority(angryJustArrived, now)).toBe(30);
    expect(queuePriority({ priority: 10, queuedAt: now - 500 * MIN }, now)).toBe(40); // cap 30
  });

  it('never lowers the escalation priority but raises it when frustration grew', () => {
    const now = 0;
    expect(queuePriority({ priority: 40, queuedAt: now, frustration: 0.1 }, now)).toBe(40);
    expect(queuePriority({ priority: 20, queuedAt: now, state: { frustration: { level: 0.9 } }, attributes: { vip: 'true' } }, now)).toBe(84);
  });

  it('follows the configured weights', () => {
    const policy = EscalationPolicy.parse({ priority: { frustrationWeight: 100, perWaitingMinute: 2, maxWaitingBoost: 10 } });
    expect(basePriority({ frustration: 0.5 }, policy)).toBe(50);
    expect(queuePriority({ priority: 0, queuedAt: 0 }, 3 * MIN, policy)).toBe(6);
    expect(queuePriority({ priority: 0, queuedAt: 0 }, 30 * MIN, policy)).toBe(10);
  });
});
