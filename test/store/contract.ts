import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreNotFoundError } from '../../src/store/errors.js';
import type { FeedbackEvent, OwnershipTransition, Store, StoredMessage, StoredUnderstanding } from '../../src/store/types.js';

/**
 * The one contract every Store backend passes (run by sqlite.test.ts and redis.test.ts).
 *
 * `makeStore()` opens a store on a fresh, empty namespace (temp file, random key prefix);
 * `makeStore(other)` opens a second instance on the same data as `other`, the way two
 * server processes share one database. `cleanup()` removes everything made so far.
 * `sharedPubSub`: instances opened with `makeStore(other)` also share pub/sub (Redis).
 */
export function storeContract(
  name: string,
  makeStore: (shareWith?: Store) => Promise<Store>,
  cleanup: () => Promise<void>,
  options: { sharedPubSub?: boolean } = {},
): void {
  describe(`${name} store contract`, () => {
    const opened: Store[] = [];
    const open = async (shareWith?: Store): Promise<Store> => {
      const store = await makeStore(shareWith);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await cleanup();
    });

    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const msg = (conversationId: string, id: string, text = `text ${id}`, ts = 1000): Omit<StoredMessage, 'seq'> => ({
      id, conversationId, channel: 'webchat', role: 'customer', from: 'cust-1', text, ts,
    });
    const understanding = (intent: string): StoredUnderstanding => ({
      intent, intentConfidence: 0.87, fallback: false, ambiguous: false,
      alternatives: [{ label: intent, confidence: 0.87 }, { label: 'other', confidence: 0.1 }],
      sentiment: 'negative', sentimentScore: -0.6, sentimentConfidence: 0.9, frustration: 0.4,
      explanation: { intent: [{ feature: 'refund', weight: 1.5 }], sentiment: [{ feature: 'angry', weight: 2 }] },
      modelVersions: { intent: 'intent-3', sentiment: 'sent-2' },
    });
    const move = (conversationId: string, from: OwnershipTransition['from'], to: OwnershipTransition['to'],
      extra: Partial<OwnershipTransition> = {}): OwnershipTransition => ({
      conversationId, from, to, by: 'policy', reason: `${from} to ${to}`, ts: 5000, ...extra,
    });
    const feedback = (id: string, extra: Partial<FeedbackEvent> = {}): FeedbackEvent => ({
      id, kind: 'thumbs', conversationId: 'c1', by: 'customer', ts: 100, review: 'pending', value: 'down', ...extra,
    });

    describe('conversations', () => {
      it('creates a conversation once and returns the existing one afterwards', async () => {
        const store = await open();
        const created = await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1', attributes: { vip: 'true' } });
        expect(created).toMatchObject({ id: 'c1', channel: 'webchat', customerId: 'u1', owner: 'bot', priority: 0,
          attributes: { vip: 'true' }, state: {} });
        expect(created.agent).toBeUndefined();
        expect(created.createdAt).toBeGreaterThan(0);
        const again = await store.ensureConversation({ id: 'c1', channel: 'teams', customerId: 'other', attributes: { vip: 'false' } });
        expect(again).toEqual(created);
        expect(await store.getConversation('c1')).toEqual(created);
        expect(await store.getConversation('missing')).toBeUndefined();
      });

      it('saves opaque state exactly and patches priority and attributes', async () => {
        const store = await open();
        const before = await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        await sleep(2);
        const state = { frustration: 0.25, fallbackStreak: 2, turns: [], nested: { a: [1, 'x', null], empty: {} }, flag: false };
        await store.saveState('c1', state, { priority: 2.5, attributes: { vip: 'true' } });
        const after = await store.getConversation('c1');
        expect(after?.state).toEqual(state);
        expect(after?.priority).toBe(2.5);
        expect(after?.attributes).toEqual({ vip: 'true' });
        expect(after!.updatedAt).toBeGreaterThan(before.updatedAt);
        await store.saveState('c1', { turns: [1] });
        expect(await store.getConversation('c1')).toMatchObject({ state: { turns: [1] }, priority: 2.5, attributes: { vip: 'true' } });
        await expect(store.saveState('missing', {})).rejects.toBeInstanceOf(StoreNotFoundError);
      });

      it('reads a conversation after the writes asked for before it, even unawaited', async () => {
        const store = await open();
        await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        const saved = store.saveState('c1', { turn: 1 });
        const read = store.getConversation('c1');
        const appended = store.appendMessage(msg('c1', 'm1'));
        expect((await read)?.state).toEqual({ turn: 1 });
        await Promise.all([saved, appended]);
        expect((await store.listMessages('c1')).map((m) => [m.id, m.seq])).toEqual([['m1', 1]]);
      });

      it('lists conversations by owner and customer, in queue order, with a limit', async () => {
        const store = await open();
        for (const [id, customerId] of [['a', 'u1'], ['b', 'u1'], ['c', 'u2'], ['d', 'u3'], ['e', 'u3']]) {
          await store.ensureConversation({ id, channel: 'webchat', customerId });
        }
        expect(await store.transition(move('b', 'bot', 'queued', { priority: 1, ts: 300 }))).toBe(true);
        expect(await store.transition(move('c', 'bot', 'queued', { priority: 5, ts: 400 }))).toBe(true);
        expect(await store.transition(move('d', 'bot', 'queued', { priority: 1, ts: 200 }))).toBe(true);
        expect(await store.transition(move('e', 'bot', 'queued', { priority: 1, ts: 250 }))).toBe(true);
        expect(await store.transition(move('e', 'queued', 'agent', { by: 'alice', agent: 'alice' }))).toBe(true);

        const ids = (list: Array<{ id: string }>) => list.map((c) => c.id);
        expect(ids(await store.listConversations({ owner: 'queued' }))).toEqual(['c', 'd', 'b']);
        expect(ids(await store.listConversations({ owner: 'queued', limit: 2 }))).toEqual(['c', 'd']);
        expect(ids(await store.listConversations({ owner: ['queued', 'agent'] }))).toEqual(['c', 'd', 'e', 'b']);
        expect(ids(await store.listConversations({ owner: 'agent' }))).toEqual(['e']);
        expect(ids(await store.listConversations({ owner: 'bot' }))).toEqual(['a']);
        expect(ids(await store.listConversations({ owner: 'resolved' }))).toEqual([]);
        expect(ids(await store.listConversations({ customerId: 'u1' })).sort()).toEqual(['a', 'b']);
        expect(ids(await store.listConversations({ customerId: 'u3', owner: 'queued' }))).toEqual(['d']);
        expect(ids(await store.listConversations())).toEqual(['c', 'd', 'e', 'b', 'a']);
      });
    });

    describe('messages', () => {
      it('appends idempotently on id: the second copy is a duplicate and changes nothing', async () => {
        const store = await open();
        await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        const first = await store.appendMessage(msg('c1', 'm1', 'hello'));
        expect(first.duplicate).toBe(false);
        expect(first.message).toMatchObject({ id: 'm1', seq: 1, text: 'hello' });
        const second = await store.appendMessage(msg('c1', 'm1', 'changed text'));
        expect(second.duplicate).toBe(true);
        expect(second.message).toEqual(first.message);
        const next = await store.appendMessage(msg('c1', 'm2'));
        expect(next.message.seq).toBe(2);
        const all = await store.listMessages('c1');
        expect(all.map((m) => [m.id, m.seq, m.text])).toEqual([['m1', 1, 'hello'], ['m2', 2, 'text m2']]);
      });

      it('keeps every field of the activity', async () => {
        const store = await open();
        await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        const full: Omit<StoredMessage, 'seq'> = {
          ...msg('c1', 'm1', 'pick one'), role: 'bot', from: 'bot', replyTo: 'm0', internal: true,
          quickReplies: [{ title: 'Yes', value: 'yes' }, { title: 'No', value: 'no' }],
        };
        await store.appendMessage(full);
        expect(await store.getMessage('c1', 'm1')).toEqual({ ...full, seq: 1 });
        expect(await store.getMessage('c1', 'nope')).toBeUndefined();
        expect(await store.getMessage('nope', 'm1')).toBeUndefined();
      });

      it('appends on condition of the owner, in the same step: nothing is stored for another owner', async () => {
        const store = await open();
        await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        const asBot = await store.appendMessageIfOwner({ ...msg('c1', 'b1', 'hello from the bot'), role: 'bot', from: 'bot' }, 'bot');
        expect(asBot).toMatchObject({ duplicate: false, message: { id: 'b1', seq: 1 } });
        expect(await store.transition({ conversationId: 'c1', from: 'bot', to: 'agent', by: 'alice', agent: 'alice', reason: 'claimed', ts: 2000 })).toBe(true);
        expect(await store.appendMessageIfOwner({ ...msg('c1', 'b2'), role: 'bot', from: 'bot' }, 'bot')).toBeUndefined();
        // Already stored before the claim (a replayed turn): its copy, whoever owns the chat now.
        expect(await store.appendMessageIfOwner({ ...msg('c1', 'b1'), role: 'bot', from: 'bot' }, 'bot')).toMatchObject({ duplicate: true, message: { seq: 1, text: 'hello from the bot' } });
        expect((await store.appendMessage(msg('c1', 'm2'))).message.seq).toBe(2); // the refusal used no seq
        expect((await store.listMessages('c1')).map((m) => m.id)).toEqual(['b1', 'm2']);
        await expect(store.appendMessageIfOwner(msg('ghost', 'x'), 'bot')).rejects.toBeInstanceOf(StoreNotFoundError);
      });

      it('refuses to append to a conversation that does not exist', async () => {
        const store = await open();
        await expect(store.appendMessage(msg('ghost', 'm1'))).rejects.toBeInstanceOf(StoreNotFoundError);
        expect(await store.listMessages('ghost')).toEqual([]);
      });

      it('assigns gap-free seq under 50 concurrent appends, across two instances, with retries', async () => {
        const a = await open();
        const b = await open(a);
        await a.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        const ids = Array.from({ length: 50 }, (_, i) => `m${i}`);
        // Every message is sent twice (a client retry racing the original) through either instance.
        const results = await Promise.all([
          ...ids.map((id, i) => (i % 2 ? a : b).appendMessage(msg('c1', id))),
          ...ids.map((id, i) => (i % 2 ? b : a).appendMessage(msg('c1', id))),
        ]);
        expect(results.filter((r) => !r.duplicate)).toHaveLength(50);
        const stored = await a.listMessages('c1');
        expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        expect(new Set(stored.map((m) => m.id))).toEqual(new Set(ids));
        // Both copies of one id report the same seq.
        const seqOf = new Map(stored.map((m) => [m.id, m.seq]));
        for (const r of results) expect(r.message.seq).toBe(seqOf.get(r.message.id));
      });

      it('lists messages after a seq, with a limit, oldest first; conversations are separate', async () => {
        const store = await open();
        await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        await store.ensureConversation({ id: 'c2', channel: 'webchat', customerId: 'u1' });
        for (let i = 1; i <= 10; i++) await store.appendMessage(msg('c1', `m${i}`));
        await store.appendMessage(msg('c2', 'm1', 'other conversation'));
        const seqs = (list: StoredMessage[]) => list.map((m) => m.seq);
        expect(seqs(await store.listMessages('c1', { afterSeq: 7 }))).toEqual([8, 9, 10]);
        expect(seqs(await store.listMessages('c1', { afterSeq: 2, limit: 3 }))).toEqual([3, 4, 5]);
        expect(seqs(await store.listMessages('c1', { limit: 2 }))).toEqual([1, 2]);
        expect(await store.listMessages('c1', { afterSeq: 10 })).toEqual([]);
        expect((await store.listMessages('c2')).map((m) => [m.seq, m.text])).toEqual([[1, 'other conversation']]);
      });

      it('stores understanding with a message and replaces it', async () => {
        const store = await open();
        await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        await store.appendMessage({ ...msg('c1', 'm1'), understanding: understanding('refund') });
        await store.appendMessage(msg('c1', 'm2'));
        expect((await store.getMessage('c1', 'm1'))?.understanding).toEqual(understanding('refund'));
        expect((await store.getMessage('c1', 'm2'))?.understanding).toBeUndefined();

        await store.setUnderstanding('c1', 'm2', understanding('greeting'));
        await store.setUnderstanding('c1', 'm1', understanding('cancel'));
        const list = await store.listMessages('c1');
        expect(list.map((m) => m.understanding?.intent)).toEqual(['cancel', 'greeting']);
        expect(list[1].understanding).toEqual(understanding('greeting'));
        // A retried append does not wipe the understanding attached since.
        const dup = await store.appendMessage(msg('c1', 'm2'));
        expect(dup.message.understanding?.intent).toBe('greeting');
        await expect(store.setUnderstanding('c1', 'missing', understanding('x'))).rejects.toBeInstanceOf(StoreNotFoundError);
      });
    });

    describe('ownership', () => {
      it('gives exactly one winner to 20 concurrent claims from two instances', async () => {
        const a = await open();
        const b = await open(a);
        await a.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        expect(await a.transition(move('c1', 'bot', 'queued', { reason: 'customer asked for a human', priority: 3 }))).toBe(true);
        const agents = Array.from({ length: 20 }, (_, i) => `agent-${i}`);
        const wins = await Promise.all(agents.map((agent, i) =>
          (i % 2 ? a : b).transition(move('c1', 'queued', 'agent', { by: agent, agent, reason: 'claim' }))));
        expect(wins.filter(Boolean)).toHaveLength(1);
        const winner = agents[wins.indexOf(true)];
        expect(await b.getConversation('c1')).toMatchObject({ owner: 'agent', agent: winner, priority: 3 });
        const history = await a.listTransitions('c1');
        expect(history.map((t) => [t.from, t.to, t.by])).toEqual([['bot', 'queued', 'policy'], ['queued', 'agent', winner]]);
      });

      it('applies a transition only when owner and agent still match, and records history in order', async () => {
        const store = await open();
        await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        expect(await store.transition(move('c1', 'queued', 'agent', { agent: 'alice' }))).toBe(false); // owner is bot
        expect(await store.transition(move('missing', 'bot', 'queued'))).toBe(false);

        const queued = move('c1', 'bot', 'queued', { reason: 'negative sentiment 0.91 over 2 turns', priority: 4, ts: 1234 });
        expect(await store.transition(queued)).toBe(true);
        expect(await store.getConversation('c1')).toMatchObject({
          owner: 'queued', priority: 4, queuedAt: 1234, escalationReason: 'negative sentiment 0.91 over 2 turns' });

        expect(await store.transition(move('c1', 'queued', 'agent', { by: 'alice', agent: 'alice' }))).toBe(true);
        expect(await store.transition(move('c1', 'agent', 'bot', { by: 'bob' }), 'bob')).toBe(false); // not bob's
        expect(await store.getConversation('c1')).toMatchObject({ owner: 'agent', agent: 'alice' });
        // Transfer: agent -> agent guarded by the current agent.
        expect(await store.transition(move('c1', 'agent', 'agent', { by: 'alice', agent: 'carol' }), 'alice')).toBe(true);
        expect(await store.transition(move('c1', 'agent', 'bot', { by: 'alice' }), 'alice')).toBe(false);
        expect(await store.transition(move('c1', 'agent', 'bot', { by: 'carol', reason: 'handed back' }), 'carol')).toBe(true);

        const back = await store.getConversation('c1');
        expect(back).toMatchObject({ owner: 'bot', priority: 4 });
        expect(back?.agent).toBeUndefined();
        expect(back?.queuedAt).toBeUndefined();
        expect(back?.escalationReason).toBeUndefined();

        const history = await store.listTransitions('c1');
        expect(history.map((t) => `${t.from}>${t.to}`)).toEqual(['bot>queued', 'queued>agent', 'agent>agent', 'agent>bot']);
        expect(history[0]).toEqual(queued);
        expect(history[3].reason).toBe('handed back');
        expect(await store.listTransitions('missing')).toEqual([]);

        expect(await store.transition(move('c1', 'bot', 'resolved'))).toBe(true);
        expect((await store.getConversation('c1'))?.owner).toBe('resolved');
      });
    });

    describe('deletion', () => {
      async function seed(store: Store, id: string, customerId: string): Promise<void> {
        await store.ensureConversation({ id, channel: 'webchat', customerId });
        await store.appendMessage({ ...msg(id, 'm1'), understanding: understanding('refund') });
        await store.appendMessage(msg(id, 'm2'));
        await store.transition(move(id, 'bot', 'queued'));
        await store.addFeedback(feedback(`fb-${id}`, { conversationId: id, messageId: 'm1' }));
      }

      it('deletes conversations last updated before a time, with their messages, and nothing else', async () => {
        const store = await open();
        await seed(store, 'old1', 'u1');
        await seed(store, 'old2', 'u2');
        await sleep(5);
        const cutoff = Date.now();
        await sleep(5);
        await seed(store, 'new1', 'u1');
        expect(await store.deleteConversationsBefore(0)).toBe(0);
        expect(await store.deleteConversationsBefore(cutoff)).toBe(2);
        expect(await store.getConversation('old1')).toBeUndefined();
        expect(await store.getConversation('old2')).toBeUndefined();
        expect(await store.listMessages('old1')).toEqual([]);
        expect(await store.getMessage('old1', 'm1')).toBeUndefined();
        expect(await store.listTransitions('old1')).toEqual([]);
        expect((await store.listConversations()).map((c) => c.id)).toEqual(['new1']);
        expect(await store.listConversations({ customerId: 'u2' })).toEqual([]);
        expect(await store.listMessages('new1')).toHaveLength(2);
        // Feedback is redacted training data with its own life: retention of chats keeps it.
        expect((await store.listFeedback()).map((f) => f.id).sort()).toEqual(['fb-new1', 'fb-old1', 'fb-old2']);
        // A conversation recreated with a deleted id starts from seq 1 again.
        await store.ensureConversation({ id: 'old1', channel: 'webchat', customerId: 'u1' });
        expect((await store.appendMessage(msg('old1', 'x'))).message.seq).toBe(1);
      });

      it('deletes everything about one customer and only that customer', async () => {
        const store = await open();
        await seed(store, 'a1', 'u1');
        await seed(store, 'a2', 'u1');
        await seed(store, 'b1', 'u2');
        expect(await store.deleteCustomer('u1')).toBe(2);
        expect(await store.deleteCustomer('u1')).toBe(0);
        expect(await store.listConversations({ customerId: 'u1' })).toEqual([]);
        expect(await store.getConversation('a1')).toBeUndefined();
        expect(await store.listMessages('a2')).toEqual([]);
        expect(await store.listTransitions('a1')).toEqual([]);
        expect((await store.listFeedback()).map((f) => f.id)).toEqual(['fb-b1']);
        expect((await store.listConversations()).map((c) => c.id)).toEqual(['b1']);
        expect(await store.listMessages('b1')).toHaveLength(2);
        expect(await store.listConversations({ owner: 'queued' })).toHaveLength(1);
      });
    });

    describe('feedback', () => {
      it('adds, lists with filters oldest first, and reviews', async () => {
        const store = await open();
        const events = [
          feedback('f1', { ts: 100, predicted: { intent: 'refund', confidence: 0.4 }, modelVersions: { intent: 'i1' }, text: 'my [EMAIL] refund' }),
          feedback('f2', { ts: 200, kind: 'relabel-intent', value: 'cancel', by: 'alice' }),
          feedback('f3', { ts: 300, kind: 'fallback', value: undefined }),
          feedback('f4', { ts: 200, kind: 'escalation-outcome', value: 'needed' }),
        ];
        for (const e of events) await store.addFeedback(e);
        await store.addFeedback({ ...events[0], value: 'up' }); // same id again: first copy wins
        const ids = (list: FeedbackEvent[]) => list.map((f) => f.id);
        expect(ids(await store.listFeedback())).toEqual(['f1', 'f2', 'f4', 'f3']);
        expect((await store.listFeedback())[0]).toEqual(events[0]);
        expect(ids(await store.listFeedback({ kind: 'relabel-intent' }))).toEqual(['f2']);
        expect(ids(await store.listFeedback({ kind: ['fallback', 'thumbs'] }))).toEqual(['f1', 'f3']);
        expect(ids(await store.listFeedback({ since: 200 }))).toEqual(['f2', 'f4', 'f3']);
        expect(ids(await store.listFeedback({ since: 200, limit: 2 }))).toEqual(['f2', 'f4']);

        expect(await store.reviewFeedback('f2', 'corrected', 'bob', 'cancel_order')).toBe(true);
        expect(await store.reviewFeedback('f3', 'discarded', 'bob')).toBe(true);
        expect(await store.reviewFeedback('nope', 'accepted', 'bob')).toBe(false);
        expect(ids(await store.listFeedback({ review: 'pending' }))).toEqual(['f1', 'f4']);
        expect(ids(await store.listFeedback({ review: ['corrected', 'discarded'], kind: 'relabel-intent' }))).toEqual(['f2']);
        expect((await store.listFeedback({ review: 'corrected' }))[0]).toEqual({
          ...events[1], review: 'corrected', reviewedBy: 'bob', reviewLabel: 'cancel_order' });
        expect(ids(await store.listFeedback({ review: 'pending', limit: 1 }))).toEqual(['f1']);
      });
    });

    describe('audit', () => {
      it('lists audit events newest first, filtered by subject and action', async () => {
        const store = await open();
        await store.audit({ ts: 1, actor: 'policy', action: 'escalate', subject: 'c1', details: { reason: 'angry', score: 0.9 } });
        await store.audit({ ts: 2, actor: 'alice', action: 'claim', subject: 'c1', details: {} });
        await store.audit({ ts: 3, actor: 'cli', action: 'promote', subject: 'intent-4', details: { from: 'intent-3' } });
        const all = await store.listAudit();
        expect(all.map((e) => e.action)).toEqual(['promote', 'claim', 'escalate']);
        expect(all[2]).toEqual({ id: all[2].id, ts: 1, actor: 'policy', action: 'escalate', subject: 'c1', details: { reason: 'angry', score: 0.9 } });
        expect(all[0].id! > all[1].id! && all[1].id! > all[2].id!).toBe(true);
        expect((await store.listAudit({ subject: 'c1' })).map((e) => e.action)).toEqual(['claim', 'escalate']);
        expect((await store.listAudit({ action: 'escalate' })).map((e) => e.ts)).toEqual([1]);
        expect((await store.listAudit({ limit: 1 })).map((e) => e.action)).toEqual(['promote']);
        expect(await store.listAudit({ subject: 'c1', action: 'promote' })).toEqual([]);
      });
    });

    describe('key-value', () => {
      it('gets, sets, overwrites, deletes and lists per namespace', async () => {
        const store = await open();
        await store.set('models', 'current', { intent: 'intent-3', sentiment: 'sent-2' });
        await store.set('agents', 'alice', { name: 'Alice', roles: [] });
        await store.set('agents', 'bob', 'plain string');
        await store.set('agents:x', 'carol', 1); // a namespace that looks like a prefix of another key
        expect(await store.get('models', 'current')).toEqual({ intent: 'intent-3', sentiment: 'sent-2' });
        expect(await store.get('models', 'missing')).toBeUndefined();
        expect(await store.get('agents', 'current')).toBeUndefined();
        await store.set('models', 'current', { intent: 'intent-4' });
        expect(await store.get('models', 'current')).toEqual({ intent: 'intent-4' });
        expect(await store.list('agents')).toEqual([{ key: 'alice', value: { name: 'Alice', roles: [] } }, { key: 'bob', value: 'plain string' }]);
        expect(await store.list('agents:x')).toEqual([{ key: 'carol', value: 1 }]);
        await store.delete('agents', 'alice');
        await store.delete('agents', 'never-there');
        expect(await store.get('agents', 'alice')).toBeUndefined();
        expect((await store.list('agents')).map((e) => e.key)).toEqual(['bob']);
        expect(await store.list('empty')).toEqual([]);
      });

      it('expires values after their TTL; a later set without TTL keeps them', async () => {
        const store = await open();
        await store.set('sessions', 's1', { user: 'alice' }, 60);
        await store.set('sessions', 's2', { user: 'bob' }, 60);
        await store.set('sessions', 'keep', true);
        expect(await store.get('sessions', 's1')).toEqual({ user: 'alice' });
        await store.set('sessions', 's2', { user: 'bob' }); // refreshed without TTL
        await sleep(150);
        expect(await store.get('sessions', 's1')).toBeUndefined();
        expect((await store.list('sessions')).map((e) => e.key)).toEqual(['keep', 's2']);
      });
    });

    describe('lock', () => {
      it('is exclusive across instances until released, and release frees it', async () => {
        const a = await open();
        const b = await open(a);
        const release = await a.tryLock('retrain', 10_000);
        expect(release).toBeTypeOf('function');
        expect(await b.tryLock('retrain', 10_000)).toBeUndefined();
        expect(await a.tryLock('retrain', 10_000)).toBeUndefined(); // not re-entrant either
        const other = await b.tryLock('export', 10_000);
        expect(other).toBeTypeOf('function');
        await release!();
        const second = await b.tryLock('retrain', 10_000);
        expect(second).toBeTypeOf('function');
        await release!(); // a stale release must not free b's lock
        expect(await a.tryLock('retrain', 10_000)).toBeUndefined();
        await second!();
        await other!();
      });

      it('expires a lease after its TTL; the old holder cannot release the new lease', async () => {
        const a = await open();
        const b = await open(a);
        const stale = await a.tryLock('retrain', 50);
        expect(stale).toBeTypeOf('function');
        await sleep(120);
        const fresh = await b.tryLock('retrain', 10_000);
        expect(fresh).toBeTypeOf('function');
        await stale!();
        expect(await a.tryLock('retrain', 10_000)).toBeUndefined();
        await fresh!();
        expect(await a.tryLock('retrain', 10_000)).toBeTypeOf('function');
      });
    });

    describe('pub/sub', () => {
      const collect = () => {
        const got: unknown[] = [];
        let wake: (() => void) | undefined;
        return {
          got,
          handler: (m: unknown) => { got.push(m); wake?.(); },
          async until(n: number, timeoutMs = 3000): Promise<unknown[]> {
            const deadline = Date.now() + timeoutMs;
            while (got.length < n && Date.now() < deadline) {
              await new Promise<void>((r) => { wake = r; setTimeout(r, 20); });
            }
            return got;
          },
        };
      };

      it('delivers published messages to every subscriber of the channel until unsubscribed', async () => {
        const store = await open();
        const one = collect();
        const two = collect();
        const other = collect();
        const off1 = await store.subscribe('conv:c1', one.handler);
        await store.subscribe('conv:c1', two.handler);
        await store.subscribe('conv:c2', other.handler);
        await store.publish('conv:c1', { type: 'message', text: 'hi', n: 1 });
        expect(await one.until(1)).toEqual([{ type: 'message', text: 'hi', n: 1 }]);
        expect(await two.until(1)).toEqual([{ type: 'message', text: 'hi', n: 1 }]);
        await off1();
        await store.publish('conv:c1', 'second');
        await store.publish('conv:c2', ['for', 'c2']);
        expect(await two.until(2)).toEqual([{ type: 'message', text: 'hi', n: 1 }, 'second']);
        expect(await other.until(1)).toEqual([['for', 'c2']]);
        expect(one.got).toHaveLength(1);
      });

      if (options.sharedPubSub) {
        it('delivers from instance A to a subscriber on instance B', async () => {
          const a = await open();
          const b = await open(a);
          const onB = collect();
          await b.subscribe('agent:alice', onB.handler);
          await a.publish('agent:alice', { reply: 'on my way' });
          expect(await onB.until(1)).toEqual([{ reply: 'on my way' }]);
        });
      }
    });

    describe('lifecycle', () => {
      it('pings while open and not after close; close is idempotent', async () => {
        const store = await makeStore();
        expect(await store.ping()).toBe(true);
        await store.close();
        expect(await store.ping()).toBe(false);
        await store.close();
      });

      it('keeps data across close and reopen', async () => {
        const a = await open();
        await a.ensureConversation({ id: `c-${randomUUID()}`, channel: 'slack', customerId: 'u1' });
        await a.set('models', 'current', { v: 1 });
        const b = await open(a);
        await a.close();
        expect(await b.listConversations({ customerId: 'u1' })).toHaveLength(1);
        expect(await b.get('models', 'current')).toEqual({ v: 1 });
      });
    });
  });
}
