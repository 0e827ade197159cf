import { describe, expect, it } from 'vitest';
import { initialFrustration, levelOf, negativityOf, updateFrustration, type FrustrationState, type FrustrationTurn } from '../../src/sentiment/frustration.js';

let clock = 0;
const turn = (sentimentScore: number, negativeProbability: number, text: string, extra: Partial<FrustrationTurn> = {}): FrustrationTurn => ({
  sentimentScore, negativeProbability, text, intent: 'order_status', fallback: false, askedForHuman: false, ts: (clock += 1000), ...extra,
});
const run = (turns: FrustrationTurn[], options = {}): FrustrationState[] => {
  const states: FrustrationState[] = [];
  let s: FrustrationState | undefined;
  for (const t of turns) { s = updateFrustration(s, t, options); states.push(s); }
  return states;
};

describe('updateFrustration', () => {
  it('keeps one mildly negative message below 0.5', () => {
    const [s] = run([turn(-0.4, 0.55, 'my parcel is a bit late')]);
    expect(s.level).toBeGreaterThan(0);
    expect(s.level).toBeLessThan(0.5);
    expect(s.turns).toBe(1);
  });

  it('keeps even one very negative message just below 0.5: a trend is needed', () => {
    const [s] = run([turn(-0.9, 0.93, 'this is the worst service ever')]);
    expect(s.level).toBeLessThan(0.5);
    expect(s.reasons[0]).toBe('negative sentiment 0.92 over 1 turn');
  });

  it('crosses 0.5 after three rising negative messages and says why', () => {
    const states = run([
      turn(-0.3, 0.45, 'my order has not arrived'),
      turn(-0.6, 0.7, 'it was supposed to come on monday'),
      turn(-0.85, 0.9, 'this is ridiculous, nobody tells me anything'),
    ]);
    const levels = states.map((s) => s.level);
    expect(levels[0]).toBeLessThan(levels[1]);
    expect(levels[1]).toBeLessThan(levels[2]);
    expect(levels[1]).toBeLessThan(0.5);
    expect(levels[2]).toBeGreaterThan(0.5);
    expect(states[2].trend).toBe('rising');
    expect(states[2].reasons).toContain('negative sentiment 0.76 over 2 turns');
    expect(states[2].history).toEqual([-0.3, -0.6, -0.85]);
  });

  it('falls when the customer calms down', () => {
    const states = run([
      turn(-0.8, 0.85, 'still no refund'),
      turn(-0.9, 0.92, 'this is unacceptable'),
      turn(0.7, 0.05, 'ok, thank you, that helps'),
      turn(0.1, 0.1, 'I will wait for the email'),
    ]);
    expect(states[1].level).toBeGreaterThan(0.5);
    expect(states[2].level).toBeLessThan(states[1].level);
    expect(states[2].trend).toBe('falling');
    expect(states[3].level).toBeLessThan(states[2].level);
    expect(states[3].level).toBeLessThan(0.3);
  });

  it('detects a repeated question even when the words are neutral', () => {
    const calm = run([turn(0, 0.1, 'where is my order 4412'), turn(0, 0.1, 'can you check the delivery date')]);
    const repeated = run([turn(0, 0.1, 'where is my order 4412'), turn(0, 0.1, 'where is my order 4412 please?')]);
    expect(repeated[1].level).toBeGreaterThan(calm[1].level);
    expect(repeated[1].reasons.some((r) => r.startsWith('repeated the same question (similarity 1.00)'))).toBe(true);
    expect(calm[1].reasons.join()).not.toMatch(/repeated/);
  });

  it('does not count short replies like "yes" as repeats', () => {
    const states = run([turn(0, 0.1, 'yes'), turn(0, 0.1, 'yes')]);
    expect(states[1].reasons.join()).not.toMatch(/repeated/);
  });

  it('counts the bot fallbacks in a row from the fallback flag, and resets them', () => {
    const states = run([
      turn(0, 0.2, 'blorp the thing', { fallback: true }),
      turn(0, 0.2, 'the thing with the stuff', { fallback: true }),
      turn(0, 0.2, 'you know what I mean', { fallback: true }),
      turn(0, 0.2, 'where is my order', { fallback: false }),
    ]);
    expect(states.map((s) => s.fallbacksInARow)).toEqual([1, 2, 3, 0]);
    expect(states[2].reasons).toContain('3 fallbacks in a row');
    expect(states[2].level).toBeGreaterThan(states[0].level);
    expect(run([turn(0, 0.2, 'hm', { fallback: true, botFallbacksInARow: 2 })])[0].reasons).toContain('2 fallbacks in a row');
  });

  it('adds asking for a human and waiting long, with numbers', () => {
    const [s] = run([turn(-0.2, 0.3, 'I want to talk to a person', { askedForHuman: true, waitedMs: 6 * 60_000 })]);
    expect(s.reasons).toContain('asked for a human');
    expect(s.reasons).toContain('waited 6 min');
    const [plain] = run([turn(-0.2, 0.3, 'I want to talk to a person')]);
    expect(s.level).toBeGreaterThan(plain.level);
    const [short] = run([turn(-0.2, 0.3, 'hello?', { waitedMs: 30_000 })]);
    expect(short.reasons.join()).not.toMatch(/waited/);
  });

  it('forgets turns beyond the history size', () => {
    const calm = ['do you ship to spain', 'what colours are there', 'is it waterproof', 'how heavy is the tent', 'can I pay by card', 'when do you open'].map((t) => turn(0, 0.1, t));
    const withAngryStart = run([turn(-0.9, 0.95, 'awful'), ...calm], { historySize: 3 }).at(-1)!;
    const withoutIt = run(calm, { historySize: 3 }).at(-1)!;
    expect(withAngryStart.recent).toHaveLength(3);
    expect(withAngryStart.level).toBe(withoutIt.level);
    expect(withAngryStart.turns).toBe(7);
  });

  it('is pure and deterministic', () => {
    const s0 = run([turn(-0.5, 0.6, 'late again')])[0];
    const copy = JSON.parse(JSON.stringify(s0));
    const t = turn(-0.7, 0.8, 'still late');
    const a = updateFrustration(s0, t);
    const b = updateFrustration(s0, t);
    expect(a).toEqual(b);
    expect(s0).toEqual(copy);
  });

  it('validates options', () => {
    expect(() => updateFrustration(undefined, turn(0, 0, 'hi'), { decay: 2 })).toThrow(/decay/);
    expect(() => updateFrustration(undefined, turn(0, 0, 'hi'), { nope: 1 } as never)).toThrow(/frustration option/);
  });

  it('exposes its building blocks', () => {
    expect(negativityOf({ sentimentScore: -1, negativeProbability: 1 })).toBe(1);
    expect(negativityOf({ sentimentScore: 0.8, negativeProbability: 0.05 })).toBeCloseTo(0.025, 5);
    expect(levelOf(initialFrustration().recent)).toBe(0);
  });
});
