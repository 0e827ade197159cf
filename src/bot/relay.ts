import { randomUUID } from 'node:crypto';
import type { PubSub, Store } from '../store/types.js';
import type { AnyEngineEvent, EventHub } from './events.js';

/** Store pub/sub channel carrying every instance's engine events. */
export const EVENTS_CHANNEL = 'engine:events';

/** What goes over the wire: the event and which instance raised it. */
interface Envelope {
  from: string;
  event: AnyEngineEvent['event'];
  payload: unknown;
}

const EVENT_NAMES: ReadonlySet<string> = new Set<AnyEngineEvent['event']>(['message', 'typing', 'transition', 'agentOnly', 'turn']);

export interface RelayOptions {
  /** Distinguishes this instance's own events on the shared channel (default: a random id). */
  instanceId?: string;
  onError?: (error: unknown) => void;
}

/**
 * Relays engine events between server instances through the store's pub/sub, so an agent
 * whose console is on instance B reaches a customer whose widget socket is on instance A.
 * Every event raised on this instance is published once; every event published by another
 * instance is delivered to this instance's listeners once; this instance's own events coming
 * back from the channel are dropped (they were delivered locally when raised).
 *
 * Pub/sub is at most once (a Redis reconnect can drop a message): the web chat tolerates
 * that, because a seq gap makes it read the missing messages from the store.
 *
 * Resolves once subscribed; the returned function unsubscribes and stops publishing.
 *
 * @example const stop = await relayEvents(hub, store); // ... await stop();
 */
export async function relayEvents(hub: EventHub, pubsub: PubSub, { instanceId = randomUUID(), onError = () => {} }: RelayOptions = {}): Promise<() => Promise<void>> {
  const unsubscribe = await pubsub.subscribe(EVENTS_CHANNEL, (raw) => {
    const envelope = raw as Partial<Envelope> | null;
    if (!envelope || envelope.from === instanceId || typeof envelope.event !== 'string' || !EVENT_NAMES.has(envelope.event)) return;
    hub.deliver(envelope.event, envelope.payload as never);
  });
  const untap = hub.tap(({ event, payload }) => {
    const envelope: Envelope = { from: instanceId, event, payload };
    pubsub.publish(EVENTS_CHANNEL, envelope).catch(onError);
  });
  return async () => {
    untap();
    await unsubscribe();
  };
}

/**
 * Whether a store's pub/sub reaches other processes. The SQLite store's is in-process:
 * relaying through it would only hand this process its own events again.
 */
export function sharesEvents(store: Pick<Store, 'kind'>): boolean {
  return store.kind === 'redis';
}
