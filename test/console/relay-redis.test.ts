import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/store/types.js';
import { TestClient } from '../channels/webchat/ws-client.js';
import { signIn } from './agent-client.js';
import { twoSitesOnRedis, type ConsoleSite } from './harness.js';

/**
 * Two server instances on one Redis: the customer's widget socket is on A, the agent's
 * console on B. Engine events cross between them through the store's pub/sub (the relay),
 * each exactly once, while the bot on A stays silent because B's agent owns the chat.
 */
const sites = twoSitesOnRedis('relay');

/** Every message event an engine hands its local channels, by message id. */
function recordMessages(site: ConsoleSite): Map<string, StoredMessage[]> {
  const seen = new Map<string, StoredMessage[]>();
  site.engine.on('message', (m) => seen.set(m.id, [...(seen.get(m.id) ?? []), m]));
  return seen;
}

describe('engine events across two instances (Redis)', () => {
  it('brings an agent reply from B to a customer on A exactly once, and the customer next message back to the agent', async () => {
    const seenOnA = recordMessages(sites.a);
    const seenOnB = recordMessages(sites.b);

    // The customer chats with the bot on A over a real widget socket and asks for a human.
    const customer = await TestClient.connect(`${sites.a.url.replace(/^http/, 'ws')}/chat`);
    customer.send({ type: 'hello' });
    const { conversationId } = await customer.next('welcome');
    customer.send({ type: 'message', clientId: 'c1', text: 'I want to speak to a person' });
    await customer.next('state', (f) => f.owner === 'queued');

    // The agent signs in on B, sees the chat in B's queue, watches it and claims it.
    const ben = await signIn(sites.b.url, 'ben');
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
    await sites.a.engine.idle();

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
    const history = await sites.a.engine.history(conversationId);
    expect(customer.messages().map((m) => [m.seq, m.id])).toEqual(history.map((m) => [m.seq, m.id]));
    const afterClaim = history.slice(history.findIndex((m) => m.role === 'system' && m.text.startsWith('ben ')));
    expect(afterClaim.map((m) => m.role)).toEqual(['system', 'agent', 'customer']);

    live.close();
    customer.close();
  });
});
