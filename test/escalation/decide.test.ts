import { describe, expect, it } from 'vitest';
import { decide } from '../../src/escalation/decide.js';
import { initialSnapshot } from '../../src/escalation/frustration.js';
import { EscalationPolicy, defaultPolicy } from '../../src/escalation/policy.js';
import { fallback, firstEscalation, negative, play, turn } from './helpers.js';

describe('decide: negative sentiment', () => {
  it('does not escalate one mildly negative message', () => {
    const { decisions } = play([negative('hmm, that is a bit annoying', 0.7)]);
    expect(decisions[0].action).toBe('reply');
  });

  it('does not escalate one strongly negative but calm message', () => {
    const { decisions } = play([negative('I am not happy that it is late', 0.92)]);
    expect(decisions[0].action).toBe('reply');
  });

  it('never escalates a steady stream of mild negativity', () => {
    const { decisions } = play(Array.from({ length: 8 }, (_, i) => negative(`meh, not great ${i}`, 0.7)));
    expect(firstEscalation(decisions)).toBe(-1);
  });

  it('escalates when strong negativity builds over turns, with the numbers in the reason', () => {
    const { decisions } = play([turn('where is my order'), negative('it is late again', 0.85), negative('this is not ok', 0.91)]);
    expect(firstEscalation(decisions)).toBe(2);
    const d = decisions[2];
    expect(d.trigger).toBe('sentiment');
    expect(d.reason).toMatch(/^negative sentiment 0\.91, frustration 0\.\d\d rising over 3 turns$/);
    expect(d.numbers.negativeProbability).toBe(0.91);
    expect(d.numbers.frustration).toBeGreaterThanOrEqual(defaultPolicy.sentiment.minFrustration);
    expect(d.numbers.customerTurns).toBe(3);
    expect(d.priority).toBeGreaterThan(0);
  });

  it('escalates a single furious message at once', () => {
    const { decisions } = play([negative('THIS IS RIDICULOUS!!! WHERE IS MY REFUND???', 0.99)]);
    expect(decisions[0].action).toBe('escalate');
    expect(decisions[0].trigger).toBe('sentiment');
    expect(decisions[0].reason).toMatch(/^very negative message 0\.99, frustration 0\.\d\d \(shouting \(caps\), exclamation marks/);
    expect(decisions[0].numbers.cues).toBe(1);
  });

  it('does not treat a very negative but calm first message as extreme', () => {
    const { decisions } = play([negative('I am really disappointed that my order is late', 0.97)]);
    expect(decisions[0].action).toBe('reply');
  });

  it('does not escalate when frustration is falling', () => {
    const state = { ...initialSnapshot(), customerTurns: 4, frustration: { ...initialSnapshot().frustration, level: 0.7, trend: 'falling' as const } };
    expect(decide(state, negative('ok but still annoying', 0.8), defaultPolicy).action).toBe('reply');
  });

  it('can be switched off', () => {
    const policy = EscalationPolicy.parse({ sentiment: { enabled: false } });
    const { decisions } = play([negative('THIS IS RIDICULOUS!!!', 0.99), negative('USELESS!!!', 0.99), negative('worst service ever!!', 0.99)], { policy });
    expect(firstEscalation(decisions)).toBe(-1);
  });

  it('respects a custom minimum number of turns', () => {
    const policy = EscalationPolicy.parse({ sentiment: { minTurns: 4, extreme: { enabled: false } } });
    const turns = [negative('late', 0.9), negative('still late', 0.9), negative('so late', 0.9), negative('really late', 0.9)];
    expect(firstEscalation(play(turns, { policy }).decisions)).toBe(3);
  });
});

describe('decide: fallbacks and low confidence', () => {
  it('escalates after N fallbacks in a row, not N-1', () => {
    const { decisions } = play([fallback('blorp'), fallback('qwzx'), fallback('flibber')]);
    expect(decisions.map((d) => d.action)).toEqual(['reply', 'reply', 'escalate']);
    expect(decisions[2]).toMatchObject({ trigger: 'fallbacks', reason: '3 fallbacks in a row' });
    expect(decisions[2].numbers.fallbacksInARow).toBe(3);
  });

  it('resets the streak when a turn is understood', () => {
    const { decisions } = play([fallback('a'), fallback('b'), turn('where is my order'), fallback('c'), fallback('d')]);
    expect(firstEscalation(decisions)).toBe(-1);
  });

  it('uses the configured count and can be switched off', () => {
    expect(firstEscalation(play([fallback('a'), fallback('b')], { policy: EscalationPolicy.parse({ fallbacks: { inARow: 2 } }) }).decisions)).toBe(1);
    const off = EscalationPolicy.parse({ fallbacks: { enabled: false }, lowConfidence: { enabled: false } });
    expect(firstEscalation(play([fallback('a'), fallback('b'), fallback('c'), fallback('d')], { policy: off }).decisions)).toBe(-1);
  });

  it('escalates after N low-confidence turns in a row, with the confidence and threshold', () => {
    const unsure = (t: string) => turn(t, { intent: 'billing_question', intentConfidence: 0.31 });
    const { decisions } = play([unsure('x'), unsure('y'), unsure('z')]);
    expect(decisions[2]).toMatchObject({ action: 'escalate', trigger: 'low-confidence', reason: '3 low-confidence turns in a row (confidence 0.31 < 0.45)' });
    const off = EscalationPolicy.parse({ lowConfidence: { enabled: false } });
    expect(firstEscalation(play([unsure('x'), unsure('y'), unsure('z')], { policy: off }).decisions)).toBe(-1);
  });
});

describe('decide: request for a human', () => {
  it('escalates talk_to_human above the confidence threshold', () => {
    const { decisions } = play([turn('let me talk to a real person', { intent: 'talk_to_human', intentConfidence: 0.93 })]);
    expect(decisions[0]).toMatchObject({ action: 'escalate', trigger: 'human-request', reason: 'customer asked for a human (talk_to_human 0.93)' });
  });
  it('does not escalate a low-confidence guess, nor when switched off', () => {
    expect(play([turn('human?', { intent: 'talk_to_human', intentConfidence: 0.4 })]).decisions[0].action).toBe('reply');
    const policy = EscalationPolicy.parse({ humanRequest: { enabled: false } });
    expect(play([turn('agent please', { intent: 'talk_to_human', intentConfidence: 0.95 })], { policy }).decisions[0].action).toBe('reply');
  });
});

describe('decide: rules', () => {
  it('sends intents that always need a person', () => {
    const { decisions } = play([turn('please delete my account', { intent: 'delete_account', intentConfidence: 0.88 })]);
    expect(decisions[0]).toMatchObject({ action: 'escalate', trigger: 'rule', reason: 'rule: delete_account (0.88) always goes to a person' });
  });

  it('does not apply the intent rule when switched off or below its confidence', () => {
    const del = turn('please delete my account', { intent: 'delete_account', intentConfidence: 0.88 });
    expect(play([del], { policy: EscalationPolicy.parse({ rules: { intents: { enabled: false } } }) }).decisions[0].action).toBe('reply');
    expect(play([{ ...del, intentConfidence: 0.4 }]).decisions[0].action).toBe('reply');
  });

  it('matches keywords as whole words in any case, including phrases', () => {
    expect(play([turn('I will file a CHARGEBACK')]).decisions[0]).toMatchObject({ action: 'escalate', trigger: 'rule', reason: 'rule: keyword "chargeback"' });
    expect(play([turn('my lawyer says hi')]).decisions[0].reason).toBe('rule: keyword "lawyer"');
    expect(play([turn('considering legal   action')]).decisions[0].reason).toBe('rule: keyword "legal   action"');
    expect(play([turn('lawyers are expensive')]).decisions[0].action).toBe('reply');
  });

  it('uses a custom keyword list and can switch keywords off', () => {
    const custom = EscalationPolicy.parse({ rules: { keywords: { words: ['press'] } } });
    expect(play([turn('I will call the press')], { policy: custom }).decisions[0].action).toBe('escalate');
    expect(play([turn('talk to my lawyer')], { policy: custom }).decisions[0].action).toBe('reply');
    const off = EscalationPolicy.parse({ rules: { keywords: { enabled: false } } });
    expect(play([turn('chargeback')], { policy: off }).decisions[0].action).toBe('reply');
  });

  it('escalates a vip customer on the first negative turn (default), not on a neutral one', () => {
    const { decisions } = play([turn('hello'), negative('this is a bit slow', 0.64)], { attributes: { vip: 'true' } });
    expect(decisions[0].action).toBe('reply');
    expect(decisions[1]).toMatchObject({ action: 'escalate', trigger: 'rule', reason: 'rule: vip customer (vip=true), negative turn 0.64' });
  });

  it('can escalate an attribute always, or only raise its priority', () => {
    const always = EscalationPolicy.parse({ rules: { attributes: [{ name: 'plan', equals: 'enterprise', when: 'always' }] } });
    expect(play([turn('hello')], { policy: always, attributes: { plan: 'enterprise' } }).decisions[0]).toMatchObject({ action: 'escalate', reason: 'rule: plan=enterprise (plan=enterprise)' });
    const never = EscalationPolicy.parse({ rules: { attributes: [{ name: 'vip', equals: 'true', when: 'never', priorityBoost: 30 }] } });
    const vip = play([negative('slow', 0.64)], { policy: never, attributes: { vip: 'true' } }).decisions[0];
    const plain = play([negative('slow', 0.64)], { policy: never }).decisions[0];
    expect(vip.action).toBe('reply');
    expect(vip.priority - plain.priority).toBeCloseTo(30, 5);
  });

  it('checks a request for a human before rules, and rules before sentiment', () => {
    const both = turn('get me a human, I will call my lawyer', { intent: 'talk_to_human', intentConfidence: 0.9 });
    expect(play([both]).decisions[0].trigger).toBe('human-request');
    expect(play([negative('THIS IS A SCAM!!! chargeback!!!', 0.99)]).decisions[0].trigger).toBe('rule');
  });
});

describe('decide: ownership', () => {
  it('relays to the agent or queue and never escalates again when a person owns the chat', () => {
    for (const owner of ['queued', 'agent'] as const) {
      const state = { ...initialSnapshot(), owner, customerTurns: 5, fallbacksInARow: 5 };
      const d = decide(state, turn('get me a human!!', { intent: 'talk_to_human', intentConfidence: 0.99 }), defaultPolicy);
      expect(d.action).toBe('to-agent');
      expect(d.trigger).toBeUndefined();
    }
  });
  it('adds waiting time to the priority while queued', () => {
    const state = { ...initialSnapshot(), owner: 'queued' as const, waitingSinceMs: 10 * 60_000 };
    const d = decide(state, turn('hello?'), defaultPolicy);
    expect(d.priority).toBe(10);
    expect(d.numbers.waitingMs).toBe(600_000);
  });
  it('answers again once the conversation is resolved', () => {
    expect(decide({ ...initialSnapshot(), owner: 'resolved', customerTurns: 1 }, turn('one more question'), defaultPolicy).action).toBe('reply');
  });
});

describe('EscalationPolicy', () => {
  it('fills defaults for a partial policy and rejects bad values', () => {
    const p = EscalationPolicy.parse({ fallbacks: { inARow: 2 } });
    expect(p.fallbacks).toEqual({ enabled: true, inARow: 2 });
    expect(p.sentiment.minNegativeProbability).toBe(0.75);
    expect(() => EscalationPolicy.parse({ lowConfidence: { threshold: 1.5 } })).toThrow();
    expect(() => EscalationPolicy.parse({ fallbacks: { inARow: 0 } })).toThrow();
  });
});
