/**
 * Rows per chunk of `chunkedLogits`: 16 weight rows of ~150 float32 labels (~10 KB) stay in
 * L1 cache while every block of labels is summed over them.
 */
const CHUNK = 16;

/**
 * The logits of one training example, bit for bit those of `logits` (math.ts): each label sums
 * its bias, then the rows in order. Eight labels at a time in registers like `logits`, but over
 * chunks of rows, so a chunk's weights stay in L1 cache across the label blocks instead of
 * being fetched again for each block. During training that matters: the optimiser streams
 * through megabytes of weights and moments after every batch, so the rows are rarely cached
 * (CLINC150: about a third less time in the logits). Every row must be >= 0, as in training.
 */
export function chunkedLogits(
  weights: Float32Array, bias: Float32Array, labels: number,
  rows: Int32Array, values: Float32Array, from: number, to: number, out: Float64Array,
): Float64Array {
  for (let l = 0; l < labels; l++) out[l] = bias[l];
  for (let c = from; c < to; c += CHUNK) {
    const end = Math.min(to, c + CHUNK);
    let l = 0;
    for (; l + 8 <= labels; l += 8) {
      let a0 = out[l], a1 = out[l + 1], a2 = out[l + 2], a3 = out[l + 3];
      let a4 = out[l + 4], a5 = out[l + 5], a6 = out[l + 6], a7 = out[l + 7];
      for (let j = c; j < end; j++) {
        const b = rows[j] * labels + l;
        const v = values[j];
        a0 += v * weights[b]; a1 += v * weights[b + 1]; a2 += v * weights[b + 2]; a3 += v * weights[b + 3];
        a4 += v * weights[b + 4]; a5 += v * weights[b + 5]; a6 += v * weights[b + 6]; a7 += v * weights[b + 7];
      }
      out[l] = a0; out[l + 1] = a1; out[l + 2] = a2; out[l + 3] = a3;
      out[l + 4] = a4; out[l + 5] = a5; out[l + 6] = a6; out[l + 7] = a7;
    }
    for (; l < labels; l++) {
      let a = out[l];
      for (let j = c; j < end; j++) a += values[j] * weights[rows[j] * labels + l];
      out[l] = a;
    }
  }
  return out;
}
