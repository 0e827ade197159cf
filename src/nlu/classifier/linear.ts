import type { SparseVector } from '../types.js';
import { logitsBlocked } from './math.js';
import { wasmLogits, type WasmLogits } from './wasm-logits.js';

/**
 * A trained linear softmax model over a hashed feature space. Only rows (features) seen in
 * training are stored: `rowOf[feature]` is the weight row, or -1 for a feature that never
 * occurred (its weights would be zero anyway).
 *
 * The logits run as a WebAssembly SIMD kernel over a copy of the weights in its memory, the
 * same bit for bit as `logitsBlocked` and about twice as fast, for 3 labels as for 151. The
 * model holds its weights once: `weights` and `bias` are views of the kernel's memory, filled
 * from the arrays given (a trainer's buffers, which can then be dropped), or read straight
 * into it by the model loader. Without WebAssembly SIMD they are the arrays given. Weights
 * must not change once the model is built.
 */
export class LinearModel {
  private readonly kernel: WasmLogits | undefined;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  /**
   * Feature -> weight row, -1 for none. At two bytes an entry when the rows fit (the demo's
   * models have 10,000 and 31,000): the table has an entry per hashed feature, 262,144 and
   * more, so this halves 1 MB or more per model.
   */
  readonly rowOf: Int32Array | Int16Array;
  // Gather space for texts too long for the kernel's own (or every text without a kernel).
  private bases = new Int32Array(256);
  private values = new Float64Array(256);

  constructor(
    readonly labels: number,
    readonly dim: number,
    rowOf: Int32Array | Int16Array,
    weights: Float32Array,
    bias: Float32Array,
    /** A kernel already holding these weights and bias (`weights` and `bias` are views of its memory). */
    kernel?: WasmLogits,
  ) {
    this.rowOf = rowOf instanceof Int32Array && rowsFitInt16(weights.length / labels) ? Int16Array.from(rowOf) : rowOf;
    const space = kernel ? { weights, bias, kernel } : wasmLogits(weights, bias, labels);
    this.weights = space?.weights ?? weights;
    this.bias = space?.bias ?? bias;
    this.kernel = space?.kernel;
  }

  get rows(): number {
    return this.weights.length / this.labels;
  }

  /** Raw logits of one featurised text into `out` (length `labels`). */
  scores(x: SparseVector, out = new Float64Array(this.labels)): Float64Array {
    return this.scoresOfParts([x], [0], out);
  }

  /**
   * The logits of a vector given as blocks (`parts[k]` indices relative to `offsets[k]`), the
   * same as `scores` of their concatenation without building it.
   */
  scoresOfParts(parts: readonly SparseVector[], offsets: readonly number[], out = new Float64Array(this.labels)): Float64Array {
    let total = 0;
    for (const p of parts) total += p.indices.length;
    const kernel = this.kernel && total <= this.kernel.capacity ? this.kernel : undefined;
    if (!kernel && this.bases.length < total) { this.bases = new Int32Array(total * 2); this.values = new Float64Array(total * 2); }
    const bases = kernel?.bases ?? this.bases;
    const values = kernel?.values ?? this.values;
    const { rowOf, labels } = this;
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
    return kernel ? kernel.logits(m, out) : logitsBlocked(this.weights, this.bias, labels, bases, values, m, out);
  }

  /** The weight of `feature` for `label` (0 for a feature unseen in training). */
  weight(feature: number, label: number): number {
    const r = this.rowOf[feature];
    return r < 0 ? 0 : this.weights[r * this.labels + label];
  }
}

/** Whether a feature-to-row table for `rows` rows fits two bytes an entry; the constructor and `featureRows` decide by it alike. */
const rowsFitInt16 = (rows: number): boolean => rows <= 32767;

/**
 * An empty feature-to-row table (-1 everywhere) of the size `LinearModel` keeps for `rows`
 * rows, for a loader to fill in place instead of the model copying it.
 *
 * @example const rowOf = featureRows(262_144, 10_188); rowOf[feature] = row;
 */
export function featureRows(dim: number, rows: number): Int32Array | Int16Array {
  return (rowsFitInt16(rows) ? new Int16Array(dim) : new Int32Array(dim)).fill(-1);
}
