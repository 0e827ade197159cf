import { EventEmitter } from 'node:events';
import type { PubSub } from './types.js';

/**
 * In-process pub/sub for the single-instance SQLite store. Messages go through JSON like
 * they do over Redis, so handlers see the same thing on both backends (a fresh object,
 * dates as strings), and are delivered on a later tick so a publisher never runs
 * subscriber code re-entrantly.
 */
export function createLocalPubSub(onError: (err: unknown) => void): PubSub & { closeAll(): void } {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(channel, message) {
      const payload = JSON.stringify(message ?? null);
      setImmediate(() => emitter.emit(channel, payload));
    },
    async subscribe(channel, handler) {
      const listener = (payload: string): void => {
        try {
          handler(JSON.parse(payload));
        } catch (err) {
          onError(err);
        }
      };
      emitter.on(channel, listener);
      return async () => {
        emitter.off(channel, listener);
      };
    },
    closeAll() {
      emitter.removeAllListeners();
    },
  };
}
