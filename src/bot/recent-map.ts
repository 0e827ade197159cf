/**
 * A Map that keeps only the `max` most recently set entries: the engine's per-conversation
 * memories (which conversations exist, the state it stored last), where forgetting an entry
 * only costs a little work later, never correctness.
 *
 * @example
 * const seen = new RecentMap<string, true>(2);
 * seen.set('a', true); seen.set('b', true); seen.set('c', true);
 * seen.has('a') // false
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    // Deleted first, so setting again makes the entry the newest one.
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }
}
