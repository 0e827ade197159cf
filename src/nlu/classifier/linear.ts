import type { SparseVector } from '../types.js';
import { logitsBlocked } from './math.js';

/**
 * A trained linear softmax model over a hashed feature space. Only rows (features) seen in
 * training are stored: `rowOf[feature]` is the weight row, or -1 for a feature that never
 * occurred (its weights would be zero anyway).
 */
export class LinearModel {
  private bases = new Int32Array(256);
  private values = new Float64Array(256);

  constructor(
    readonly labels: number,
    readonly dim: number,
    readonly rowOf: Int32Array,
    readonly weights: Float32Array,
    readonly bias: Float32Array,
  ) {}

  get rows(): number {
    return this.weights.length / this.labels;
  }

  /** Raw logits of one featurised text into `out` (length `labels`). */
  scores(x: SparseVector, out = new Float64Array(this.labels)): Float64Array {
    const n = x.indices.length;
    if (this.bases.length < n) { this.bases = new Int32Array(n * 2); this.values = new Float64Array(n * 2); }
    const { bases, values } = this;
    let m = 0;
    for (let j = 0; j < n; j++) {
      const r = this.rowOf[x.indices[j]];
      if (r < 0) continue;
      bases[m] = r * this.labels;
      values[m++] = x.values[j];
    }
    return logitsBlocked(this.weights, this.bias, this.labels, bases, values, m, out);
  }

  /**
   * The logits of a vector given as blocks (`parts[k]` indices relative to `offsets[k]`), the
   * same as `scores` of their concatenation without building it.
   */
  scoresOfParts(parts: readonly SparseVector[], offsets: readonly number[], out = new Float64Array(this.labels)): Float64Array {
    let total = 0;
    for (const p of parts) total += p.indices.length;
    if (this.bases.length < total) { this.bases = new Int32Array(total * 2); this.values = new Float64Array(total * 2); }
    const { bases, values, rowOf, labels } = this;
    let m = 0;
    for (let k = 0; k < parts.length; k++) {
      const { indices, values: v } = parts[k];
      const off = offsets[k];
      for (let j = 0; j < indices.length; j++) {
        const r = rowOf[indices[j] + off];
        if (r < 0) continue;
        bases[m] = r * labels;
        values[m++] = v[j];
      }
    }
    return logitsBlocked(this.weights, this.bias, labels, bases, values, m, out);
  }

  /** The weight of `feature` for `label` (0 for a feature unseen in training). */
  weight(feature: number, label: number): number {
    const r = this.rowOf[feature];
    return r < 0 ? 0 : this.weights[r * this.labels + label];
  }
}
