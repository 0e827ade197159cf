import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/store/types.js';
import { openRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { TestClient } from '../channels/webchat/ws-client.js';
import { signIn } from './agent-client.js';
import { startConsoleSite, type ConsoleSite } from './harness.js';

/**
 * Two server instances on one Redis: the customer's widget socket is on A, the agent's
 * console on B. Engine events cross between them through the store's pub/sub (the relay),
 * each exactly once, while the bot on A stays silent because B's agent owns the chat.
 */
const url = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `parley-test-relay-${randomBytes(6).toString('hex')}:`;
let storeA: Store;
let storeB: Store;
let a: ConsoleSite;
let b: ConsoleSite;

beforeAll(async () => {
  [storeA, storeB] = await Promise.all([openRedisStore({ url, prefix }), openRedisStore({ url, prefix })]);
  a = await startConsoleSite({ contactOfferAfterMs: 0, queueRefreshMs: 600_000 }, { store: storeA });
  b = await startConsoleSite({ contactOfferAfterMs: 0, queueRefreshMs: 600_000 }, { store: storeB });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await storeA?.close();
  await storeB?.close();
  const admin = createClient({ url });
  await admin.connect();
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (batch.length) await admin.del(batch);
  await admin.close();
});

/** Every message event an engine hands its local channels, by message id. */
function recordMessages(site: ConsoleSite): Map<string, StoredMessage[]> {
  const seen = new Map<string, StoredMessage[]>();
  site.engine.on('message', (m) => seen.set(m.id, [...(seen.get(m.id) ?? []), m]));
  return seen;
}

describe('engine events across two instances (Redis)', () => {
  it('brings an agent reply from B to a customer on A exactly once, and the customer next message back to the agent', async () => {
    const seenOnA = recordMessages(a);
    const seenOnB = recordMessages(b);

    // The customer chats with the bot on A over a real widget socket and asks for a human.
    const customer = await TestClient.connect(`${a.url.replace(/^http/, 'ws')}/chat`);
    customer.send({ type: 'hello' });
    const { conversationId } = await customer.next('welcome');
    customer.send({ type: 'message', clientId: 'c1', text: 'I want to speak to a person' });
    await customer.next('state', (f) => f.owner === 'queued');

    // The agent signs in on B, sees the chat in B's queue, watches it and claims it.
    const ben = await signIn(b.url, 'ben');
    const live = await ben.socket();
    await live.next((f) => f.type === 'queue' && f.queue.some((q: { conversationId: string }) => q.conversationId === conversationId));
    live.send({ type: 'watch', conversationId });
    expect((await ben.post(`/conversations/${encodeURIComponent(conversationId)}/claim`)).status).toBe(200);
    // Claimed on B: the customer on A is told who joined.
    await customer.next('state', (f) => f.owner === 'agent');
    await customer.next('message', (m) => m.role === 'system' && m.text.startsWith('ben '));

    const reply = await ben.post(`/conversations/${encodeURIComponent(conversationId)}/reply`, { text: 'Hi, Ben here. How can I help?' });
    expect(reply.status).toBe(200);
    const replyId: string = reply.body.message.id;
    const onWidget = await customer.next('message', (m) => m.id === replyId);
    expect(onWidget).toMatchObject({ role: 'agent', text: 'Hi, Ben here. How can I help?', seq: reply.body.message.seq });

    // The customer answers on A; the agent on B sees it, then again with its understanding.
    customer.send({ type: 'message', clientId: 'c2', text: 'my parcel never arrived' });
    const ack = await customer.next('ack', (f) => f.clientId === 'c2');
    const fromCustomer = await live.next((f) => f.type === 'message' && f.message.id === 'c2');
    expect(fromCustomer).toMatchObject({ conversationId, message: { role: 'customer', text: 'my parcel never arrived', seq: ack.seq } });
    const understood = await live.next((f) => f.type === 'message' && f.message.id === 'c2' && f.message.understanding);
    expect(understood.message.understanding.intent).toEqual(expect.any(String));
    await a.engine.idle();

    // Redis hands each subscriber the publications in one order: B's reply went out before
    // the customer wrote c2 on A, so by the time c2 reached B any echo of B's own reply (or a
    // second copy on A) would have arrived too. Exactly one copy per instance:
    expect(seenOnA.get(replyId)).toHaveLength(1);
    expect(seenOnB.get(replyId)).toHaveLength(1);
    expect(seenOnA.get('c2')).toHaveLength(1);
    expect(seenOnB.get('c2')).toHaveLength(1);
    expect(live.frames.filter((f) => f.type === 'message' && f.message.id === replyId)).toHaveLength(1);

    // The widget got every customer-visible message once, in seq order (the agents' summary
    // note is the only seq it skips), and the bot on A stayed silent after the agent took over.
    const history = await a.engine.history(conversationId);
    expect(customer.messages().map((m) => [m.seq, m.id])).toEqual(history.map((m) => [m.seq, m.id]));
    const afterClaim = history.slice(history.findIndex((m) => m.role === 'system' && m.text.startsWith('ben ')));
    expect(afterClaim.map((m) => m.role)).toEqual(['system', 'agent', 'customer']);

    live.close();
    customer.close();
  });
});
