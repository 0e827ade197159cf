import type { EngineEvents, EventOrigin } from './engine-api.js';

/** One engine event as a value: what the relay sends between server instances. */
export type AnyEngineEvent = { [K in keyof EngineEvents]: { event: K; payload: Parameters<EngineEvents[K]>[0] } }[keyof EngineEvents];

/**
 * A typed event hub. A throwing listener is reported, never propagated: one broken
 * channel must not stop the turn or the other channels.
 *
 * Events raised here (`emit`) are also handed to the outbound taps (the cross-instance
 * relay); events that came from another instance enter through `deliver`, which skips the
 * taps, so an event is never sent back out and never delivered twice.
 */
export class EventHub {
  private readonly listeners: { [K in keyof EngineEvents]: Set<EngineEvents[K]> } = {
    message: new Set(),
    typing: new Set(),
    transition: new Set(),
    agentOnly: new Set(),
    turn: new Set(),
  };
  private readonly taps = new Set<(event: AnyEngineEvent) => void>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof EngineEvents) => void = () => {}) {}

  on<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): () => void {
    this.listeners[event].add(listener);
    return () => {
      this.listeners[event].delete(listener);
    };
  }

  /** Sees every event raised in this process (not the delivered remote ones). */
  tap(listener: (event: AnyEngineEvent) => void): () => void {
    this.taps.add(listener);
    return () => {
      this.taps.delete(listener);
    };
  }

  /** An event of this process: local listeners, then the taps. */
  emit<K extends keyof EngineEvents>(event: K, payload: Parameters<EngineEvents[K]>[0]): void {
    this.deliver(event, payload, 'local');
    for (const tap of this.taps) {
      try {
        tap({ event, payload } as AnyEngineEvent);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }

  /** An event from elsewhere (another instance, `remote`): local listeners only. */
  deliver<K extends keyof EngineEvents>(event: K, payload: Parameters<EngineEvents[K]>[0], origin: EventOrigin = 'remote'): void {
    for (const listener of this.listeners[event]) {
      try {
        (listener as (p: typeof payload, o: EventOrigin) => void)(payload, origin);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
