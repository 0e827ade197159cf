import type { SparseVector, TrainingCurvePoint } from '../types.js';
import { LinearModel } from './linear.js';
import { chunkedLogits } from './chunked-logits.js';
import { batchGradient, gradientBuffers, softmax, type CsrBatch } from './math.js';
import { autoPatience, autoStopOnDecline, declined, parseOptions, TrainerOptions, type TrainerOptionsInput } from './options.js';
import { mulberry32, shuffle } from './prng.js';

export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  validationAccuracy: number;
}

export interface FitInput {
  dim: number;
  labels: number;
  x: SparseVector[];
  y: Int32Array;
  /** Held-out examples for early stopping; without them training runs all epochs. */
  validation?: { x: SparseVector[]; y: Int32Array };
}

export interface FitOptions extends TrainerOptionsInput {
  onEpochEnd?: (report: EpochReport) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface FitResult {
  model: LinearModel;
  curve: TrainingCurvePoint[];
  bestEpoch: number;
  options: TrainerOptions & { patience: number };
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/**
 * Multinomial logistic regression trained by mini-batch Adam (lazy: only the rows a batch
 * touches are updated, with their L2 term) or plain SGD, with early stopping on the
 * validation accuracy (ties broken by validation loss) and the best epoch's weights kept.
 *
 * @example
 * const { model } = await new SoftmaxTrainer().fit({ dim, labels: 3, x, y }, { seed: 7 });
 */
export class SoftmaxTrainer {
  private running = false;

  async fit(input: FitInput, options: FitOptions = {}): Promise<FitResult> {
    if (this.running) throw new Error('this trainer is already fitting; create another SoftmaxTrainer to train in parallel');
    const { onEpochEnd, signal, ...rest } = options;
    const parsed = parseOptions(TrainerOptions, rest);
    const opts = { ...parsed, patience: parsed.patience ?? autoPatience(input.x.length) };
    const stopOnDecline = parsed.patience === undefined && autoStopOnDecline(input.x.length);
    if (input.x.length === 0) throw new Error('no training examples');
    if (input.x.length !== input.y.length) throw new Error(`x has ${input.x.length} rows but y has ${input.y.length}`);
    this.running = true;
    try {
      return await train(input, opts, stopOnDecline, onEpochEnd, signal);
    } finally {
      this.running = false;
    }
  }
}

async function train(
  input: FitInput, opts: TrainerOptions & { patience: number }, stopOnDecline: boolean,
  onEpochEnd: FitOptions['onEpochEnd'], signal: AbortSignal | undefined,
): Promise<FitResult> {
  const L = input.labels;
  const { rowOf, rows, data } = compact(input);
  const validation = input.validation && input.validation.x.length > 0 ? toCsr(input.validation.x, input.validation.y, rowOf) : undefined;

  const W = new Float32Array(rows * L);
  const bias = new Float32Array(L);
  const adam = opts.optimizer === 'adam';
  // Adam's moments interleaved (m, v per weight): one stream of memory per touched row, not two.
  const moments = adam ? new Float32Array(2 * rows * L) : new Float32Array(0);
  const mb = new Float64Array(L);
  const vb = new Float64Array(L);
  let maxNnz = 0;
  for (let e = 0; e < input.x.length; e++) maxNnz = Math.max(maxNnz, data.rowPtr[e + 1] - data.rowPtr[e]);
  const buf = gradientBuffers(rows, L, opts.batchSize * maxNnz);

  const n = input.x.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(opts.seed);
  const curve: TrainingCurvePoint[] = [];
  // The best epoch's weights, copied into buffers allocated once (not a fresh copy per improvement).
  const kept = validation ? { W: new Float32Array(W.length), bias: new Float32Array(L) } : undefined;
  let best = { accuracy: -1, loss: Infinity, epoch: 0 };
  let step = 0;

  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    if (signal?.aborted) throw signal.reason ?? new Error('training aborted');
    shuffle(order, rand);
    let lossSum = 0;
    for (let from = 0; from < n; from += opts.batchSize) {
      const to = Math.min(n, from + opts.batchSize);
      lossSum += batchGradient(W, bias, L, data, order, from, to, buf);
      step++;
      const lr = adam ? opts.learningRate * Math.sqrt(1 - BETA2 ** step) / (1 - BETA1 ** step) : opts.learningRate;
      applyUpdate(W, moments, buf.grad, buf.slotRows, buf.slotOf, L, opts.l2, lr, adam);
      for (let l = 0; l < L; l++) {
        const g = buf.gradBias[l];
        buf.gradBias[l] = 0;
        if (adam) {
          mb[l] = BETA1 * mb[l] + (1 - BETA1) * g;
          vb[l] = BETA2 * vb[l] + (1 - BETA2) * g * g;
          bias[l] -= lr * mb[l] / (Math.sqrt(vb[l]) + EPS);
        } else bias[l] -= lr * g;
      }
    }
    const loss = lossSum / n;
    const score = validation ? evaluateCsr(W, bias, L, validation) : { accuracy: NaN, loss: NaN };
    curve.push({ epoch, loss, validationAccuracy: score.accuracy });
    if (kept) {
      const better = score.accuracy > best.accuracy || (score.accuracy === best.accuracy && score.loss < best.loss);
      if (better) {
        best = { accuracy: score.accuracy, loss: score.loss, epoch };
        kept.W.set(W);
        kept.bias.set(bias);
      }
    }
    await onEpochEnd?.({ epoch, epochs: opts.epochs, loss, validationAccuracy: score.accuracy });
    if (validation && epoch - best.epoch > opts.patience) break;
    if (validation && stopOnDecline && declined(score.accuracy, best.accuracy, validation.y.length)) break;
    // Yield so progress output, abort signals and other work are not starved.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const final = kept ? { epoch: best.epoch, ...kept } : { epoch: curve.length, W, bias };
  return { model: new LinearModel(L, input.dim, rowOf, final.W, final.bias), curve, bestEpoch: final.epoch, options: opts };
}

/** Applies the batch gradient of the touched rows, plus their L2 term, by Adam or SGD; then clears it. */
function applyUpdate(
  W: Float32Array, moments: Float32Array, grad: Float32Array,
  slotRows: number[], slotOf: Int32Array, L: number, l2: number, lr: number, adam: boolean,
): void {
  const count = slotRows.length;
  if (adam) {
    const c1 = 1 - BETA1;
    const c2 = 1 - BETA2;
    // In memory order: the rows are far apart, so walking them upwards helps the prefetcher.
    const sorted = Int32Array.from(slotRows).sort();
    for (let k = 0; k < count; k++) {
      const r = sorted[k];
      let gi = slotOf[r] * L;
      let wi = r * L;
      let mi2 = 2 * wi;
      const end = wi + L;
      for (; wi < end; wi++, gi++, mi2 += 2) {
        const w = W[wi];
        const g = grad[gi] + l2 * w;
        const mi = BETA1 * moments[mi2] + c1 * g;
        const vi = BETA2 * moments[mi2 + 1] + c2 * g * g;
        moments[mi2] = mi;
        moments[mi2 + 1] = vi;
        W[wi] = w - lr * mi / (Math.sqrt(vi) + EPS);
      }
      slotOf[r] = -1;
    }
  } else {
    for (let s = 0; s < count; s++) {
      const r = slotRows[s];
      const gBase = s * L;
      const wBase = r * L;
      for (let l = 0; l < L; l++) W[wBase + l] -= lr * (grad[gBase + l] + l2 * W[wBase + l]);
      slotOf[r] = -1;
    }
  }
  grad.fill(0, 0, count * L);
  slotRows.length = 0;
}

/**
 * Maps the features seen in training to consecutive weight rows, the most frequent first
 * (ties by first occurrence): the rows nearly every batch touches then share a compact,
 * cache-friendly block. Row order changes no weight value, only where it is stored.
 */
function compact(input: FitInput): { rowOf: Int32Array; rows: number; data: CsrBatch } {
  // Counts per feature first, in the array that then becomes the row map (dim can be 2^24).
  const rowOf = new Int32Array(input.dim);
  const firstSeen: number[] = [];
  for (const x of input.x) {
    for (let j = 0; j < x.indices.length; j++) {
      const f = x.indices[j];
      if (f < 0 || f >= input.dim) throw new Error(`feature index ${f} outside [0, ${input.dim})`);
      if (rowOf[f]++ === 0) firstSeen.push(f);
    }
  }
  const count = Int32Array.from(firstSeen, (f) => rowOf[f]);
  const byFrequency = Int32Array.from(firstSeen.keys()).sort((a, b) => count[b] - count[a] || a - b);
  rowOf.fill(-1);
  for (let r = 0; r < byFrequency.length; r++) rowOf[firstSeen[byFrequency[r]]] = r;
  return { rowOf, rows: firstSeen.length, data: toCsr(input.x, input.y, rowOf) };
}

/**
 * The examples in CSR form over weight rows. Features without a row (validation features
 * unseen in training) are left out: they add nothing to a logit, and every row left is >= 0,
 * as `chunkedLogits` needs.
 */
function toCsr(x: SparseVector[], y: Int32Array, rowOf: Int32Array): CsrBatch {
  const rowPtr = new Int32Array(x.length + 1);
  for (let e = 0; e < x.length; e++) {
    let kept = 0;
    for (const f of x[e].indices) if ((rowOf[f] ?? -1) >= 0) kept++;
    rowPtr[e + 1] = rowPtr[e] + kept;
  }
  const cols = new Int32Array(rowPtr[x.length]);
  const vals = new Float32Array(rowPtr[x.length]);
  for (let e = 0; e < x.length; e++) {
    let at = rowPtr[e];
    const { indices, values } = x[e];
    for (let j = 0; j < indices.length; j++) {
      const r = rowOf[indices[j]] ?? -1;
      if (r < 0) continue;
      cols[at] = r;
      vals[at++] = values[j];
    }
  }
  return { rowPtr, cols, vals, y };
}

function evaluateCsr(W: Float32Array, bias: Float32Array, L: number, data: CsrBatch): { accuracy: number; loss: number } {
  const z = new Float64Array(L);
  let correct = 0;
  let loss = 0;
  const n = data.y.length;
  for (let e = 0; e < n; e++) {
    chunkedLogits(W, bias, L, data.cols, data.vals, data.rowPtr[e], data.rowPtr[e + 1], z);
    softmax(z);
    let arg = 0;
    for (let l = 1; l < L; l++) if (z[l] > z[arg]) arg = l;
    if (arg === data.y[e]) correct++;
    loss -= Math.log(Math.max(z[data.y[e]], 1e-12));
  }
  return { accuracy: correct / n, loss: loss / n };
}
