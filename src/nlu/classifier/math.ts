/**
 * Pure numeric kernels of the softmax classifier. Weights are laid out [row x labels]
 * (one contiguous run of `labels` floats per feature row) so a sparse input touches
 * contiguous memory.
 */

import { chunkedLogits } from './chunked-logits.js';

/**
 * In-place numerically stable softmax of `z[0..n)`, with an optional temperature.
 *
 * @example softmax(Float64Array.of(1, 2, 3)) // ≈ [0.090, 0.245, 0.665]
 */
export function softmax<T extends Float32Array | Float64Array>(z: T, temperature = 1, n = z.length): T {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (z[i] > max) max = z[i];
  let sum = 0;
  const inv = 1 / temperature;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((z[i] - max) * inv);
    z[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) z[i] /= sum;
  return z;
}

/**
 * Logits of one sparse example: z = bias + sum_j value_j * W[row_j]. Rows < 0 are skipped (unseen features).
 * The reference definition, one label at a time: each label sums its bias, then the rows in
 * order. The fast kernels (`logitsBlocked`, `chunkedLogits`, the WebAssembly one) keep that
 * order per label, so their results equal this one bit for bit (tested); the loss that the
 * gradient is checked against uses it.
 */
export function logits(
  weights: Float32Array, bias: Float32Array, labels: number,
  rows: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number,
  out: Float64Array,
): Float64Array {
  for (let l = 0; l < labels; l++) {
    let a = bias[l];
    for (let j = from; j < to; j++) {
      const r = rows[j];
      if (r >= 0) a += values[j] * weights[r * labels + l];
    }
    out[l] = a;
  }
  return out;
}

/**
 * The same logits as `logits`, bit for bit (each label sums bias then rows in the same order),
 * computed eight labels at a time over all rows, so the eight running sums stay in registers
 * instead of being read and written back for every row: faster for prediction with many
 * labels. The labels left over (151 = 18 x 8 + 7, a 3-label sentiment model) go four, two,
 * then one at a time, so they cost at most three passes over the rows instead of one each.
 * `bases[k]` is row k's offset (row * labels), for the `n` rows that have weights.
 */
export function logitsBlocked(
  weights: Float32Array, bias: Float32Array, labels: number,
  bases: Int32Array, values: Float64Array, n: number, out: Float64Array,
): Float64Array {
  let l = 0;
  for (; l + 8 <= labels; l += 8) sum8(weights, bias, l, bases, values, n, out);
  if (l + 4 <= labels) { sum4(weights, bias, l, bases, values, n, out); l += 4; }
  if (l + 2 <= labels) { sum2(weights, bias, l, bases, values, n, out); l += 2; }
  if (l < labels) sum1(weights, bias, l, bases, values, n, out);
  return out;
}

/** Labels l..l+8 of `logitsBlocked`. */
function sum8(weights: Float32Array, bias: Float32Array, l: number, bases: Int32Array, values: Float64Array, n: number, out: Float64Array): void {
  let a0 = bias[l], a1 = bias[l + 1], a2 = bias[l + 2], a3 = bias[l + 3];
  let a4 = bias[l + 4], a5 = bias[l + 5], a6 = bias[l + 6], a7 = bias[l + 7];
  for (let j = 0; j < n; j++) {
    const b = bases[j] + l;
    const v = values[j];
    a0 += v * weights[b]; a1 += v * weights[b + 1]; a2 += v * weights[b + 2]; a3 += v * weights[b + 3];
    a4 += v * weights[b + 4]; a5 += v * weights[b + 5]; a6 += v * weights[b + 6]; a7 += v * weights[b + 7];
  }
  out[l] = a0; out[l + 1] = a1; out[l + 2] = a2; out[l + 3] = a3;
  out[l + 4] = a4; out[l + 5] = a5; out[l + 6] = a6; out[l + 7] = a7;
}

/** Labels l..l+4 of `logitsBlocked`. */
function sum4(weights: Float32Array, bias: Float32Array, l: number, bases: Int32Array, values: Float64Array, n: number, out: Float64Array): void {
  let a0 = bias[l], a1 = bias[l + 1], a2 = bias[l + 2], a3 = bias[l + 3];
  for (let j = 0; j < n; j++) {
    const b = bases[j] + l;
    const v = values[j];
    a0 += v * weights[b]; a1 += v * weights[b + 1]; a2 += v * weights[b + 2]; a3 += v * weights[b + 3];
  }
  out[l] = a0; out[l + 1] = a1; out[l + 2] = a2; out[l + 3] = a3;
}

/** Labels l..l+2 of `logitsBlocked`. */
function sum2(weights: Float32Array, bias: Float32Array, l: number, bases: Int32Array, values: Float64Array, n: number, out: Float64Array): void {
  let a0 = bias[l], a1 = bias[l + 1];
  for (let j = 0; j < n; j++) {
    const b = bases[j] + l;
    const v = values[j];
    a0 += v * weights[b]; a1 += v * weights[b + 1];
  }
  out[l] = a0; out[l + 1] = a1;
}

/** Label l of `logitsBlocked`. */
function sum1(weights: Float32Array, bias: Float32Array, l: number, bases: Int32Array, values: Float64Array, n: number, out: Float64Array): void {
  let a = bias[l];
  for (let j = 0; j < n; j++) a += values[j] * weights[bases[j] + l];
  out[l] = a;
}

/** A batch of sparse examples in CSR form; `cols` are weight rows. */
export interface CsrBatch {
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
  y: Int32Array;
}

/**
 * Mean cross-entropy of the examples `order[from..to)` plus (l2 / 2) * ||W||^2 over the rows
 * they touch. The reference the gradient is checked against.
 */
export function batchLoss(
  weights: Float32Array, bias: Float32Array, labels: number, data: CsrBatch,
  order: ArrayLike<number>, from: number, to: number, l2: number,
): number {
  const z = new Float64Array(labels);
  let loss = 0;
  const touched = new Set<number>();
  for (let k = from; k < to; k++) {
    const e = order[k];
    logits(weights, bias, labels, data.cols, data.vals, data.rowPtr[e], data.rowPtr[e + 1], z);
    softmax(z);
    loss -= Math.log(Math.max(z[data.y[e]], 1e-12));
    for (let j = data.rowPtr[e]; j < data.rowPtr[e + 1]; j++) touched.add(data.cols[j]);
  }
  let reg = 0;
  for (const r of touched) for (let l = 0; l < labels; l++) reg += weights[r * labels + l] ** 2;
  return loss / (to - from) + 0.5 * l2 * reg;
}

/** |p - y| below this is treated as zero in the gradient (it changes no weight visibly). */
const SKIP = 1e-4;

/** Scratch space for `batchGradient`, sized once per training run. */
export interface GradientBuffers {
  /** Gradient rows, one per touched weight row, in `slotRows` order. */
  grad: Float32Array;
  gradBias: Float64Array;
  /** Weight row -> slot in `grad`, or -1. */
  slotOf: Int32Array;
  slotRows: number[];
  z: Float64Array;
  active: Int32Array;
}

export function gradientBuffers(rows: number, labels: number, maxSlots: number): GradientBuffers {
  return {
    grad: new Float32Array(Math.min(rows, maxSlots) * labels),
    gradBias: new Float64Array(labels),
    slotOf: new Int32Array(rows).fill(-1),
    slotRows: [],
    z: new Float64Array(labels),
    active: new Int32Array(labels),
  };
}

/**
 * Gradient of `batchLoss` (up to probability errors below 1e-4, skipped; every row >= 0, as in training) without its L2 term (added lazily by the optimiser on the touched
 * rows only): accumulates (p - y) * x / batch into `buf.grad` rows for the touched features.
 * Returns the summed cross-entropy of the batch (for reporting).
 */
export function batchGradient(
  weights: Float32Array, bias: Float32Array, labels: number, data: CsrBatch,
  order: ArrayLike<number>, from: number, to: number, buf: GradientBuffers,
): number {
  const { grad, gradBias, slotOf, slotRows, z, active } = buf;
  const scale = 1 / (to - from);
  let loss = 0;
  for (let k = from; k < to; k++) {
    const e = order[k];
    const a = data.rowPtr[e];
    const b = data.rowPtr[e + 1];
    chunkedLogits(weights, bias, labels, data.cols, data.vals, a, b, z);
    softmax(z);
    const y = data.y[e];
    loss -= Math.log(Math.max(z[y], 1e-12));
    z[y] -= 1;
    // Labels whose probability error is negligible add nothing worth the memory traffic:
    // once the model has learnt a little, a handful of labels per example remain.
    let nActive = 0;
    for (let l = 0; l < labels; l++) {
      if (z[l] > SKIP || z[l] < -SKIP) active[nActive++] = l;
      z[l] *= scale;
      gradBias[l] += z[l];
    }
    const dense = nActive * 2 > labels;
    for (let j = a; j < b; j++) {
      const r = data.cols[j];
      let s = slotOf[r];
      if (s < 0) { s = slotRows.length; slotOf[r] = s; slotRows.push(r); }
      const v = data.vals[j];
      const base = s * labels;
      if (dense) {
        // Four labels per iteration: fewer loop checks on the hottest loop of training.
        let l = 0;
        for (; l + 4 <= labels; l += 4) {
          const g = base + l;
          grad[g] += v * z[l]; grad[g + 1] += v * z[l + 1]; grad[g + 2] += v * z[l + 2]; grad[g + 3] += v * z[l + 3];
        }
        for (; l < labels; l++) grad[base + l] += v * z[l];
      } else for (let q = 0; q < nActive; q++) { const l = active[q]; grad[base + l] += v * z[l]; }
    }
  }
  return loss;
}
