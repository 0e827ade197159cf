import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationEngine } from '../../src/bot/engine.js';
import { ALLOWED, OwnershipError, canTransition } from '../../src/bot/ownership.js';
import type { OwnershipTransition, Owner, StoredMessage, Store } from '../../src/store/types.js';
import { newEngine, say, tempStore } from './helpers.js';

describe('ownership state machine', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let engine: ConversationEngine;
  let transitions: OwnershipTransition[];

  beforeEach(async () => {
    ({ store, cleanup } = await tempStore());
    engine = await newEngine(store);
    transitions = [];
    engine.on('transition', (t) => transitions.push(t));
    await store.ensureConversation({ id: 'o1', channel: 'test', customerId: 'cust' });
  });
  afterEach(async () => {
    await engine.close();
    await cleanup();
  });

  it('has a table of allowed transitions, and nothing leaves a state to itself but a transfer', () => {
    const owners: Owner[] = ['bot', 'queued', 'agent', 'resolved'];
    for (const o of owners) expect(canTransition(o, o)).toBe(o === 'agent');
    expect(canTransition('bot', 'resolved')).toBe(false);
    expect(canTransition('resolved', 'agent')).toBe(false);
    expect(Object.keys(ALLOWED).sort()).toEqual([...owners].sort());
  });

  it('goes bot -> queued -> agent -> resolved -> bot, each step an event with a reason, persisted and audited', async () => {
    await engine.ownership.escalate('o1', 'customer asked for a human', 40, 'policy');
    await engine.ownership.claim('o1', 'alice');
    expect(await store.getConversation('o1')).toMatchObject({ owner: 'agent', agent: 'alice' });
    await engine.ownership.resolve('o1', 'alice', false);
    await say(engine, 'o1', 'hello again');
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['bot->queued', 'queued->agent', 'agent->resolved', 'resolved->bot']);
    expect(transitions.every((t) => t.reason.length > 0)).toBe(true);
    expect((await store.listTransitions('o1')).map((t) => t.to)).toEqual(['queued', 'agent', 'resolved', 'bot']);
    const audit = await store.listAudit({ subject: 'o1' });
    expect(audit.map((a) => a.action).sort()).toEqual(['claim', 'escalate', 'reopen', 'resolve'].sort());
    const [outcome] = await store.listFeedback({ kind: 'escalation-outcome' });
    expect(outcome).toMatchObject({ conversationId: 'o1', value: 'not-needed', by: 'alice' });
    // The customer was told at each step.
    const system = (await engine.history('o1')).filter((m) => m.role === 'system').map((m) => m.text).join('\n');
    expect(system).toMatch(/number 1 in the queue/);
    expect(system).toMatch(/alice .*joined/);
    expect(system).toMatch(/closed this conversation/);
    // The agent gets a summary as an internal note, which the customer never sees.
    const notes = (await store.listMessages('o1')).filter((m) => m.internal);
    expect(notes).toHaveLength(1);
    expect(notes[0].text).toMatch(/^Escalated: customer asked for a human\. Customer/);
  });

  it('refuses invalid transitions and leaves the owner unchanged', async () => {
    await expect(engine.ownership.resolve('o1', 'alice', true)).rejects.toMatchObject({ code: 'conflict' });
    await expect(engine.ownership.transition('o1', 'resolved', { by: 'x', reason: 'r' })).rejects.toMatchObject({ code: 'invalid_transition' });
    await expect(engine.ownership.release('o1', 'alice')).rejects.toMatchObject({ code: 'not_owner' });
    await expect(engine.ownership.claim('nope', 'alice')).rejects.toMatchObject({ code: 'not_found' });
    expect((await store.getConversation('o1'))?.owner).toBe('bot');
    expect(transitions).toEqual([]);
  });

  it('gives exactly one winner when two agents claim at once', async () => {
    await engine.ownership.escalate('o1', 'test', 10);
    const results = await Promise.allSettled([engine.ownership.claim('o1', 'alice'), engine.ownership.claim('o1', 'bob')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(OwnershipError);
    const winner = (await store.getConversation('o1'))?.agent;
    expect(['alice', 'bob']).toContain(winner);
  });

  it('transfers, releases, and only lets the owning agent reply', async () => {
    await engine.ownership.escalate('o1', 'test', 10);
    await engine.ownership.claim('o1', 'alice');
    await expect(engine.ownership.agentReply('o1', 'bob', 'hi')).rejects.toMatchObject({ code: 'not_owner' });
    const reply = await engine.ownership.agentReply('o1', 'alice', 'Hi, Alice here.');
    expect(reply).toMatchObject({ role: 'agent', from: 'alice' });
    await engine.ownership.transfer('o1', 'alice', 'bob');
    expect((await store.getConversation('o1'))?.agent).toBe('bob');
    await expect(engine.ownership.transfer('o1', 'alice', 'carol')).rejects.toMatchObject({ code: 'not_owner' });
    await engine.ownership.release('o1', 'bob');
    expect((await store.getConversation('o1'))?.owner).toBe('queued');
  });

  it('keeps internal notes from the customer: agentOnly event, not in history', async () => {
    const visible: StoredMessage[] = [];
    const agentOnly: StoredMessage[] = [];
    engine.on('message', (m) => visible.push(m));
    engine.on('agentOnly', (m) => agentOnly.push(m));
    await engine.ownership.note('o1', 'alice', 'customer seems to be a reseller');
    expect(agentOnly).toHaveLength(1);
    expect(visible).toHaveLength(0);
    expect(await engine.history('o1')).toEqual([]);
    expect((await store.listMessages('o1')).map((m) => m.internal)).toEqual([true]);
  });

  it('orders the queue by priority then waiting time', async () => {
    for (const [id, p] of [['q1', 10], ['q2', 50], ['q3', 10]] as const) {
      await store.ensureConversation({ id, channel: 'test', customerId: id });
      await engine.ownership.escalate(id, 'test', p);
    }
    expect(await engine.ownership.queuePosition('q2')).toBe(1);
    expect(await engine.ownership.queuePosition('q1')).toBe(2);
    expect(await engine.ownership.queuePosition('q3')).toBe(3);
  });
});
