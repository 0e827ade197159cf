import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src/bot/events.js';
import { relayEvents, sharesEvents } from '../../src/bot/relay.js';
import { createLocalPubSub } from '../../src/store/local-pubsub.js';

/** Three "instances" (hubs) on one in-process pub/sub: the relay's delivery rules without a network. */
async function instances(count: number) {
  const pubsub = createLocalPubSub((err) => {
    throw err;
  });
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const hub = new EventHub((err) => {
        throw err;
      });
      const typing: Array<{ conversationId: string; on: boolean }> = [];
      hub.on('typing', (e) => typing.push({ conversationId: e.conversationId, on: e.on }));
      const stop = await relayEvents(hub, pubsub, { instanceId: `i${i}` });
      return { hub, typing, stop };
    }),
  );
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('event relay between instances', () => {
  it('delivers an event raised on one instance exactly once everywhere, never echoing it back', async () => {
    const [a, b, c] = await instances(3);
    a.hub.emit('typing', { conversationId: 'x', role: 'customer', on: true });
    b.hub.emit('typing', { conversationId: 'y', role: 'agent', on: false });
    await settle();
    // Own events are delivered at once, relayed ones a tick later: compare without order.
    for (const i of [a, b, c]) expect([...i.typing].sort((p, q) => p.conversationId.localeCompare(q.conversationId))).toEqual([{ conversationId: 'x', on: true }, { conversationId: 'y', on: false }]);
  });

  it('tells listeners whether an event was raised here or relayed from another instance', async () => {
    const [a, b] = await instances(2);
    const origins: string[] = [];
    b.hub.on('typing', (e, origin) => origins.push(`${e.conversationId}:${origin}`));
    a.hub.emit('typing', { conversationId: 'from-a', role: 'customer', on: true });
    b.hub.emit('typing', { conversationId: 'from-b', role: 'customer', on: true });
    await settle();
    expect(origins.sort()).toEqual(['from-a:remote', 'from-b:local']);
  });

  it('stops both ways once stopped', async () => {
    const [a, b] = await instances(2);
    await b.stop();
    a.hub.emit('typing', { conversationId: 'x', role: 'customer', on: true });
    b.hub.emit('typing', { conversationId: 'y', role: 'customer', on: true });
    await settle();
    expect(a.typing.map((e) => e.conversationId)).toEqual(['x']);
    expect(b.typing.map((e) => e.conversationId)).toEqual(['y']);
  });

  it('ignores what is not an engine event on the channel', async () => {
    const pubsub = createLocalPubSub(() => undefined);
    const hub = new EventHub();
    const seen: unknown[] = [];
    hub.on('message', (m) => seen.push(m));
    await relayEvents(hub, pubsub, { instanceId: 'me' });
    await pubsub.publish('engine:events', { from: 'other', event: 'constructor', payload: {} });
    await pubsub.publish('engine:events', null);
    await settle();
    expect(seen).toEqual([]);
  });

  it('relays only on stores whose pub/sub leaves the process', () => {
    expect(sharesEvents({ kind: 'redis' })).toBe(true);
    expect(sharesEvents({ kind: 'sqlite' })).toBe(false);
  });
});
