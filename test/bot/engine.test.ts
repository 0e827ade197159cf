import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationEngine, EngineClosedError } from '../../src/bot/engine.js';
import type { StoredMessage, Store } from '../../src/store/types.js';
import { customer, demoBot, newEngine, say, tempStore } from './helpers.js';

describe('ConversationEngine turn pipeline', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let engine: ConversationEngine;

  beforeEach(async () => {
    ({ store, cleanup } = await tempStore());
    engine = await newEngine(store);
  });
  afterEach(async () => {
    await engine.close();
    await cleanup();
  });

  it('stores the message, understands it, answers with the intent response and quick replies, and keeps the understanding', async () => {
    const events: string[] = [];
    engine.on('typing', (e) => events.push(`typing:${e.role}:${e.on}`));
    engine.on('message', (m) => events.push(`message:${m.role}`));
    const outcome = await say(engine, 'c1', 'hello there');
    expect(outcome.action).toBe('reply');
    expect(outcome.understanding.stored.intent).toBe('greeting');
    const history = await engine.history('c1');
    expect(history.map((m) => m.role)).toEqual(['customer', 'bot']);
    expect(history[1].text).toContain('How can I help');
    expect(history[1].quickReplies?.length).toBeGreaterThan(0);
    expect(history[1].replyTo).toBe(history[0].id);
    const stored = await store.getMessage('c1', history[0].id);
    const { versions } = (await demoBot()).models.current();
    expect(stored?.understanding).toMatchObject({ intent: 'greeting', fallback: false, modelVersions: versions });
    expect(stored?.understanding?.sentiment).toMatch(/negative|neutral|positive/);
    // The bot handled it alone: no explanation yet, until someone asks for it (the console).
    expect(stored?.understanding).toMatchObject({ explanationPending: true, explanation: { intent: [], sentiment: [] } });
    expect(await engine.explain('c1')).toBe(1);
    const explained = (await store.getMessage('c1', history[0].id))?.understanding;
    expect(explained?.explanationPending).toBeUndefined();
    expect(explained?.explanation.intent.length).toBeGreaterThan(0);
    expect({ ...explained, explanation: undefined }).toEqual({ ...stored?.understanding, explanation: undefined, explanationPending: undefined });
    expect(await engine.explain('c1')).toBe(0);
    // The bot types while it thinks, and stops before or right after the reply.
    expect(events[0]).toBe('message:customer');
    expect(events).toContain('typing:bot:true');
    expect(events.indexOf('typing:bot:true')).toBeLessThan(events.indexOf('message:bot'));
    expect(events.at(-1)).toBe('typing:bot:false');
  });

  it('accept is idempotent on the message id: a resend is stored once and answered once', async () => {
    const a = customer('c2', 'where is my order', 'same-id');
    const done = engine.turnOf('same-id');
    const first = await engine.accept(a);
    const second = await engine.accept(a);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.message.seq).toBe(first.message.seq);
    await done;
    await engine.idle();
    const history = await engine.history('c2');
    expect(history.filter((m) => m.role === 'customer')).toHaveLength(1);
    expect(history.filter((m) => m.role === 'bot')).toHaveLength(1);
  });

  it('creates a conversation again when it was deleted (retention) after the engine first saw it', async () => {
    expect((await say(engine, 'c-ret', 'hello there')).action).toBe('reply');
    expect(await store.deleteConversationsBefore(Date.now() + 1000)).toBe(1);
    expect(await store.getConversation('c-ret')).toBeUndefined();
    const outcome = await say(engine, 'c-ret', 'where is my order');
    expect(outcome.action).toBe('reply');
    expect((await store.getConversation('c-ret'))?.customerId).toBe('c-ret-customer');
    expect((await engine.history('c-ret')).map((m) => [m.role, m.seq])).toEqual([['customer', 1], ['bot', 2]]);
  });

  it('answers the turns of one conversation strictly in order', async () => {
    const texts = ['hi', 'where is my order', 'I want to return an item', 'how much is shipping', 'thanks', 'bye'];
    for (const t of texts) await engine.accept(customer('c3', t));
    await engine.idle();
    const history = await engine.history('c3');
    expect(history).toHaveLength(texts.length * 2);
    // Messages written in a row are all stored first; the replies then come one turn at a
    // time, in the order of the questions.
    const questions = history.filter((m) => m.role === 'customer');
    const replies = history.filter((m) => m.role === 'bot');
    expect(questions.map((m) => m.text)).toEqual(texts);
    expect(replies.map((m) => m.replyTo)).toEqual(questions.map((m) => m.id));
    expect(replies.map((m) => m.seq)).toEqual([...replies.map((m) => m.seq)].sort((a, b) => a - b));
  });

  it('runs several conversations at once, each answered', async () => {
    await Promise.all(['x1', 'x2', 'x3', 'x4'].map((c) => engine.accept(customer(c, 'where is my order'))));
    await engine.idle();
    for (const c of ['x1', 'x2', 'x3', 'x4']) expect((await engine.history(c)).map((m) => m.role)).toEqual(['customer', 'bot']);
  });

  it('falls back with options when out of scope, and asks to clarify when two intents are too close', async () => {
    const oos = await say(engine, 'c4', "what's the weather like on mars");
    expect(oos.reply?.kind).toBe('fallback');
    expect(oos.understanding.stored.fallback).toBe(true);
    expect(oos.reply?.quickReplies?.map((q) => q.title)).toContain('Talk to a person');
    const unclear = await say(engine, 'c4b', 'change my');
    if (unclear.understanding.stored.ambiguous) {
      expect(unclear.reply?.kind).toBe('clarify');
      const [a, b] = unclear.understanding.stored.alternatives;
      expect(unclear.reply?.quickReplies).toHaveLength(2);
      expect(unclear.reply?.text.toLowerCase()).toContain('is it about');
      expect([a.label, b.label]).toContain('change_order');
    } else {
      expect(unclear.reply?.kind).toBe('answer');
    }
  });

  it('escalates on request, tells the customer the queue position, then stays silent while queued and while an agent owns it', async () => {
    const esc = await say(engine, 'c5', 'I want to talk to a real person');
    expect(esc.action).toBe('escalate');
    expect(esc.decision.reason).toContain('asked for a human');
    expect(esc.posted.map((m) => m.text).join(' ')).toMatch(/number 1 in the queue/);
    expect((await store.getConversation('c5'))?.owner).toBe('queued');

    const queued = await say(engine, 'c5', 'where is my order');
    expect(queued.action).toBe('silent');
    expect(queued.understanding.stored.intent).toBe('order_status'); // still understood, for the agent

    await engine.ownership.claim('c5', 'alice');
    const owned = await say(engine, 'c5', 'hello?');
    expect(owned.action).toBe('silent');
    const roles = (await engine.history('c5')).map((m) => m.role);
    expect(roles.filter((r) => r === 'bot')).toHaveLength(0);

    await engine.ownership.resolve('c5', 'alice', true);
    const back = await say(engine, 'c5', 'hi again');
    expect(back.action).toBe('reply');
    expect((await store.getConversation('c5'))?.owner).toBe('bot');
  });

  it('stays silent when an agent takes the conversation while the bot is thinking', async () => {
    await say(engine, 'c6', 'hi');
    const a = customer('c6', 'where is my order');
    const done = engine.turnOf(a.id);
    // Claim between accept and the reply: the turn is queued behind this microtask.
    const accepted = engine.accept(a);
    await engine.ownership.claim('c6', 'bob');
    await accepted;
    const outcome = await done;
    expect(outcome.action).toBe('silent');
    expect((await engine.history('c6')).filter((m) => m.role === 'bot')).toHaveLength(1);
  });

  it('shows the bot typing from the moment a message to a bot-owned chat is stored, once per turn, and never while an agent owns it', async () => {
    const typing: string[] = [];
    engine.on('typing', (e) => e.role === 'bot' && typing.push(`${e.conversationId}:${e.on}`));
    // A new conversation and a known one alike: on before accept resolves (the channel's ack
    // goes out with it), off once the turn is done.
    for (const text of ['hi', 'where is my order']) {
      const a = customer('c11', text);
      const done = engine.turnOf(a.id);
      typing.length = 0;
      await engine.accept(a);
      expect(typing).toEqual(['c11:true']);
      expect((await done).action).toBe('reply');
      expect(typing).toEqual(['c11:true', 'c11:false']);
    }
    // Claimed between the accept and the turn: the turn takes the indicator down.
    const claimed = customer('c11', 'are you there?');
    const done = engine.turnOf(claimed.id);
    typing.length = 0;
    await engine.accept(claimed);
    await engine.ownership.claim('c11', 'bob');
    expect((await done).action).toBe('silent');
    expect(typing).toEqual(['c11:true', 'c11:false']);
    // While the agent owns it, the bot never shows typing.
    typing.length = 0;
    expect((await say(engine, 'c11', 'hello?')).action).toBe('silent');
    expect(typing).toEqual([]);
  });

  it('stays silent when an agent claims between the turn\'s owner check and its reply being stored', async () => {
    await say(engine, 'c10', 'hi');
    let reads = 0;
    // The turn reads the owner once, at its start; the claim is committed just after that
    // read, before the reply reaches the store.
    const racing = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== 'getConversation') return Reflect.get(target, prop, receiver);
        return async (id: string) => {
          const conversation = await target.getConversation(id);
          if (id === 'c10' && ++reads === 1) void target.transition({ conversationId: id, from: 'bot', to: 'agent', by: 'bob', agent: 'bob', reason: 'claimed by bob', ts: Date.now() });
          return conversation;
        };
      },
    });
    const { models, catalog } = await demoBot();
    const raced = new ConversationEngine({ store: racing, models, catalog });
    const outcome = await say(raced, 'c10', 'where is my order');
    await raced.close();
    expect(reads).toBe(1);
    expect(outcome.action).toBe('silent');
    expect((await store.getConversation('c10'))?.owner).toBe('agent');
    expect((await store.listMessages('c10')).map((m) => m.role)).toEqual(['customer', 'bot', 'customer']);
  });

  it('keeps conversation state between turns: three fallbacks in a row escalate', async () => {
    await say(engine, 'c7', 'blorp zizzle frank');
    await say(engine, 'c7', 'qwerty flux wobble');
    const third = await say(engine, 'c7', 'zxcv plonk');
    expect(third.action).toBe('escalate');
    expect(third.decision.trigger).toBe('fallbacks');
    const state = (await store.getConversation('c7'))?.state as { snapshot: { customerTurns: number }; lastHandledSeq: number };
    expect(state.snapshot.customerTurns).toBe(3);
    // Escalated: the agent will read every message, so all of them are explained now.
    const understood = (await store.listMessages('c7')).filter((m) => m.role === 'customer').map((m) => m.understanding);
    expect(understood).toHaveLength(3);
    for (const u of understood) expect(u?.explanationPending).toBeUndefined();
  });

  it('refuses messages once closing, so the channel does not acknowledge them', async () => {
    await engine.close();
    await expect(engine.accept(customer('c8', 'hi'))).rejects.toBeInstanceOf(EngineClosedError);
  });

  it('records thumbs on a bot reply as feedback with what the model predicted', async () => {
    await say(engine, 'c9', 'where is my order');
    const reply = (await engine.history('c9')).find((m) => m.role === 'bot') as StoredMessage;
    await engine.thumbs('c9', reply.id, 'down', 'c9-customer');
    const [fb] = await store.listFeedback({ kind: 'thumbs' });
    expect(fb).toMatchObject({ kind: 'thumbs', value: 'down', messageId: reply.id, predicted: { intent: 'order_status' } });
  });
});

describe('recovery after a restart', () => {
  it('answers accepted messages that had no reply when the process died, and nothing twice', async () => {
    const { store, file, cleanup } = await tempStore();
    try {
      // A first life: one full turn, then a message stored but never processed (killed mid-turn).
      const first = await newEngine(store);
      await say(first, 'r1', 'hi');
      await store.ensureConversation({ id: 'r1', channel: 'test', customerId: 'r1-customer' });
      await store.appendMessage(customer('r1', 'where is my order', 'lost-1'));
      await store.ensureConversation({ id: 'r2', channel: 'test', customerId: 'r2-customer' });
      await store.appendMessage(customer('r2', 'I want to return an item', 'lost-2'));
      await store.close();

      const { openStore } = await import('../../src/store/index.js');
      const reopened = await openStore({ kind: 'sqlite', file });
      const second = await newEngine(reopened);
      expect(await second.recover()).toBe(2);
      await second.idle();
      const r1 = await second.history('r1');
      expect(r1.map((m) => m.role)).toEqual(['customer', 'bot', 'customer', 'bot']);
      expect(r1[3].replyTo).toBe('lost-1');
      expect((await second.history('r2')).map((m) => m.role)).toEqual(['customer', 'bot']);
      // A second recovery finds nothing left to do.
      expect(await second.recover()).toBe(0);
      await second.close();
      await reopened.close();
    } finally {
      await cleanup();
    }
  });
});
