/**
 * A bounded least-recently-used cache of text embeddings. Map keeps insertion order, so
 * re-inserting on every hit makes the first key the least recently used one.
 */
export class EmbeddingCache {
  private readonly map = new Map<string, Float32Array>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`embedding cache: capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  /** The embedding of `text`, marking it recently used; undefined when not cached. */
  get(text: string): Float32Array | undefined {
    const v = this.map.get(text);
    if (v !== undefined) {
      this.map.delete(text);
      this.map.set(text, v);
    }
    return v;
  }

  has(text: string): boolean {
    return this.map.has(text);
  }

  /**
   * Stores an embedding, then evicts the least recently used entries beyond
   * `max(capacity, keepAtLeast)`: a caller that just touched `keepAtLeast` entries (a whole
   * prepare batch) keeps all of them even when the batch is larger than the capacity.
   */
  set(text: string, embedding: Float32Array, keepAtLeast = 0): void {
    this.map.delete(text);
    this.map.set(text, embedding);
    this.trim(Math.max(this.capacity, keepAtLeast));
  }

  /** Evicts least recently used entries until at most `limit` remain. */
  trim(limit = this.capacity): void {
    for (const key of this.map.keys()) {
      if (this.map.size <= limit) break;
      this.map.delete(key);
    }
  }
}
