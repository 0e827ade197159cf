import type { Featurizer, SparseVector } from '../types.js';

/**
 * Concatenates featurizer blocks into one vector space: block k occupies
 * [offsets[k], offsets[k] + blocks[k].dim). Indices stay strictly increasing.
 */
export class CompositeFeaturizer {
  readonly offsets: number[];
  readonly dim: number;
  private readonly parts: SparseVector[] = [];

  constructor(readonly blocks: Featurizer[]) {
    if (blocks.length === 0) throw new Error('at least one featurizer is needed');
    this.offsets = [];
    let dim = 0;
    for (const b of blocks) { this.offsets.push(dim); dim += b.dim; }
    this.dim = dim;
  }

  /** True when every block can featurize synchronously without `prepare`. */
  get async(): boolean {
    return this.blocks.some((b) => typeof b.prepare === 'function');
  }

  async fit(texts: readonly string[]): Promise<void> {
    for (const b of this.blocks) await b.fit?.(texts);
  }

  async prepare(texts: readonly string[]): Promise<void> {
    for (const b of this.blocks) await b.prepare?.(texts);
  }

  /**
   * Each block's vector of `text`, in block order, without concatenating them (block k's
   * indices are relative to `offsets[k]`): prediction scores them in place. The array and the
   * vectors are reused (`transformScratch`): valid until the next call.
   */
  transformParts(text: string): SparseVector[] {
    const parts = this.parts;
    for (let k = 0; k < this.blocks.length; k++) parts[k] = scratchTransform(this.blocks[k], text);
    return parts;
  }

  transform(text: string): SparseVector {
    if (this.blocks.length === 1) return this.blocks[0].transform(text);
    const parts = this.blocks.map((b) => b.transform(text));
    let n = 0;
    for (const p of parts) n += p.indices.length;
    const indices = new Int32Array(n);
    const values = new Float32Array(n);
    let at = 0;
    parts.forEach((p, k) => {
      const off = this.offsets[k];
      for (let j = 0; j < p.indices.length; j++, at++) {
        indices[at] = p.indices[j] + off;
        values[at] = p.values[j];
      }
    });
    return { indices, values };
  }
}

function scratchTransform(block: Featurizer, text: string): SparseVector {
  return block.transformScratch ? block.transformScratch(text) : block.transform(text);
}
