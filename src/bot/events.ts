import type { EngineEvents } from './engine-api.js';

/**
 * A typed event hub. A throwing listener is reported, never propagated: one broken
 * channel must not stop the turn or the other channels.
 */
export class EventHub {
  private readonly listeners: { [K in keyof EngineEvents]: Set<EngineEvents[K]> } = {
    message: new Set(),
    typing: new Set(),
    transition: new Set(),
    agentOnly: new Set(),
  };

  constructor(private readonly onListenerError: (error: unknown, event: keyof EngineEvents) => void = () => {}) {}

  on<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): () => void {
    this.listeners[event].add(listener);
    return () => {
      this.listeners[event].delete(listener);
    };
  }

  emit<K extends keyof EngineEvents>(event: K, payload: Parameters<EngineEvents[K]>[0]): void {
    for (const listener of this.listeners[event]) {
      try {
        (listener as (p: typeof payload) => void)(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
