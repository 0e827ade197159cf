import { getHeapStatistics } from 'node:v8';

export interface IdleCollectorOptions {
  /** Work done so far: a count that grows with each message handled. */
  work: () => number;
  /** How long without new work before collecting (default 2 s). */
  idleMs?: number;
  /** The collection: V8's `gc` (full), which node exposes with `--expose-gc` (the bins' flags). */
  collect: () => void;
  /**
   * Collect only if the heap (the memory V8 holds for it, not only what is in use) grew by
   * this much since the last collection (default 8 MB; the first quiet spell always collects): a
   * quiet spell after a message or two (light traffic) leaves little to give back, and two
   * full collections cost tens of milliseconds of CPU.
   */
  minGrowthBytes?: number;
  /** The heap's size now, in bytes (default: V8's `total_heap_size`). */
  heapSize?: () => number;
  /** After each collection, with how long it took. */
  onCollected?: (info: { ms: number; heapBefore: number; heapAfter: number }) => void;
}

/**
 * Collects the garbage when the server goes quiet after handling messages: `idleMs` after
 * the last one, once per quiet spell. A burst of turns leaves most of its garbage in the old
 * generation (1,000 conversations in flight live through several young collections), where
 * it waits for the next full collection, and the heap's pages stay with the process: after
 * 16,000 messages at 2,000 a second the RSS stayed at 154-158 MB, where two forced full
 * collections took it to 120 MB (measured; V8's own memory reducer had not done it 10 s
 * later). The pause (84 ms for the two) falls where no message is waiting. Only after the
 * heap grew by `minGrowthBytes`, though: under light traffic, a message every few seconds,
 * a collection after each one cost about 80 ms of CPU a message (measured).
 *
 * @example
 * let handled = 0; // counted by the engine's observer
 * const collector = collectWhenIdle({ work: () => handled, collect: globalThis.gc! });
 * // ...
 * collector.stop();
 */
export function collectWhenIdle({ work, idleMs = 2000, collect, onCollected, minGrowthBytes = 8e6, heapSize = () => getHeapStatistics().total_heap_size }: IdleCollectorOptions): { stop(): void } {
  let seen = work();
  let lastWork = performance.now();
  let owed = false; // work was done since the last look at the heap
  // The heap after the last collection; none yet, so the first quiet spell collects what
  // starting left behind (loading the models, training them).
  let baseline = 0;
  const look = () => {
    const now = performance.now();
    const done = work();
    if (done !== seen) {
      seen = done;
      lastWork = now;
      owed = true;
    } else if (owed && now - lastWork >= idleMs) {
      owed = false;
      const before = heapSize();
      // Light use leaves the heap near its size after the last collection: nothing to give back.
      if (before - baseline < minGrowthBytes) return;
      collect();
      baseline = heapSize();
      onCollected?.({ ms: performance.now() - now, heapBefore: before, heapAfter: baseline });
    }
  };
  // A quarter of the quiet time apart: the collection comes at most 25% late.
  const timer = setInterval(look, Math.max(10, idleMs / 4));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
