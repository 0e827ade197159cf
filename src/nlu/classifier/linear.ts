import type { SparseVector } from '../types.js';
import { logits } from './math.js';

/**
 * A trained linear softmax model over a hashed feature space. Only rows (features) seen in
 * training are stored: `rowOf[feature]` is the weight row, or -1 for a feature that never
 * occurred (its weights would be zero anyway).
 */
export class LinearModel {
  private readonly rowsScratch: Int32Array[] = [];

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
    const rows = this.scratch(n);
    for (let j = 0; j < n; j++) rows[j] = this.rowOf[x.indices[j]];
    return logits(this.weights, this.bias, this.labels, rows, x.values, 0, n, out);
  }

  /** The weight of `feature` for `label` (0 for a feature unseen in training). */
  weight(feature: number, label: number): number {
    const r = this.rowOf[feature];
    return r < 0 ? 0 : this.weights[r * this.labels + label];
  }

  private scratch(n: number): Int32Array {
    let s = this.rowsScratch[0];
    if (!s || s.length < n) { s = new Int32Array(Math.max(n, 256)); this.rowsScratch[0] = s; }
    return s;
  }
}
