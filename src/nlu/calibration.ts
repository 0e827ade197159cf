/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence of the predictions in the bin (0 when empty). */
  confidence: number;
  /** Share of them that were right (0 when empty). */
  accuracy: number;
}

/**
 * Expected calibration error: the count-weighted mean |accuracy - confidence| over equal-width
 * confidence bins (15 by default, as Guo et al. 2017), plus the bins for plotting.
 *
 * @example expectedCalibrationError([0.9, 0.8], [true, false]).ece // 0.45 (two bins: |1 - 0.9| / 2 + |0 - 0.8| / 2)
 */
export function expectedCalibrationError(
  confidences: ArrayLike<number>, correct: ArrayLike<boolean>, bins = 15,
): { ece: number; bins: ReliabilityBin[] } {
  const count = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const acc = new Float64Array(bins);
  const n = confidences.length;
  for (let i = 0; i < n; i++) {
    const c = confidences[i];
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    count[b]++;
    conf[b] += c;
    if (correct[i]) acc[b]++;
  }
  let ece = 0;
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const k = count[b];
    const meanConf = k ? conf[b] / k : 0;
    const meanAcc = k ? acc[b] / k : 0;
    if (n) ece += (k / n) * Math.abs(meanAcc - meanConf);
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: k, confidence: meanConf, accuracy: meanAcc });
  }
  return { ece, bins: out };
}

/** Mean negative log-likelihood of `y` under softmax(logits / T). */
export function temperatureNll(logits: Float64Array[], y: ArrayLike<number>, temperature: number): number {
  return shiftedNll(shiftLogits(logits, y), temperature);
}

/** Held-out logits minus each row's maximum, flattened, so the temperature search does that once. */
interface ShiftedLogits {
  z: Float64Array;
  width: number;
  y: Int32Array;
}

function shiftLogits(logits: Float64Array[], y: ArrayLike<number>): ShiftedLogits {
  const width = logits[0]?.length ?? 0;
  const z = new Float64Array(logits.length * width);
  for (let i = 0; i < logits.length; i++) {
    const row = logits[i];
    let max = -Infinity;
    for (let l = 0; l < width; l++) if (row[l] > max) max = row[l];
    for (let l = 0; l < width; l++) z[i * width + l] = row[l] - max;
  }
  return { z, width, y: Int32Array.from(y) };
}

/** The same value as softmax then -log p (same exponentials, same sum order) without writing the probabilities. */
function shiftedNll({ z, width, y }: ShiftedLogits, temperature: number): number {
  const inv = 1 / temperature;
  let nll = 0;
  for (let i = 0; i < y.length; i++) {
    const base = i * width;
    let sum = 0;
    for (let l = 0; l < width; l++) sum += Math.exp(z[base + l] * inv);
    nll -= Math.log(Math.max(Math.exp(z[base + y[i]] * inv) / sum, 1e-12));
  }
  return nll / Math.max(1, y.length);
}

/**
 * Temperature scaling: the T in [0.05, 20] minimising the held-out NLL plus a small pull of
 * log T towards 0 that matters only for a handful of held-out examples (all of them right would
 * otherwise drive T to the bound and every confidence to 1). Golden-section search on log T.
 * Returns 1 without held-out data.
 *
 * @example fitTemperature(heldOutLogits, heldOutLabels) // e.g. 0.42 (an under-confident model is sharpened)
 */
export function fitTemperature(logits: Float64Array[], y: ArrayLike<number>): number {
  if (logits.length === 0) return 1;
  const prior = PRIOR_STRENGTH / logits.length;
  const shifted = shiftLogits(logits, y);
  const f = (logT: number) => shiftedNll(shifted, Math.exp(logT)) + prior * logT * logT;
  let a = Math.log(0.05);
  let b = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let it = 0; it < 40; it++) {
    if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); }
    else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
  }
  return Math.exp((a + b) / 2);
}

/** The confidences of `points`, ascending. */
function ascending(points: HeldOutPoint[]): Float64Array {
  return Float64Array.from(points, (p) => p.confidence).sort();
}

/** Weight of the log-T prior, divided by the number of held-out examples. */
const PRIOR_STRENGTH = 5;

/** Held-out out-of-scope examples needed before the threshold is fitted on them. */
export const MIN_OOS_FOR_THRESHOLD = 20;

/** A held-out prediction as the threshold search sees it. */
export interface HeldOutPoint {
  top: string;
  confidence: number;
  truth: string;
}

/**
 * Picks the fallback threshold on held-out data (never the test split).
 * - With at least `minOos` (default 20) out-of-scope examples (label `oosLabel`): the threshold maximising
 *   in-scope accuracy (a fallback counts as wrong) + `oosWeight` (default 0.5) x out-of-scope
 *   recall (top is `oosLabel` or confidence below the threshold). The weight below 1 says a
 *   wrongly refused customer costs more than an out-of-scope question answered off-topic.
 *   Fewer out-of-scope examples than that make this threshold swing with the seed (with 3 of
 *   them, one example moves recall by a third), so they are ignored for the threshold.
 * - Otherwise: the `percentile` (default 1%) of the confidence of correct in-scope predictions,
 *   so about that share of answers the model would have got right fall back, capped at
 *   `maxThreshold` (default 0.5) because a few held-out examples can all be near-certain.
 *
 * @example chooseThreshold(points, { oosLabel: 'oos' }) // { threshold: 0.31, method: 'oos-balanced' }
 */
export function chooseThreshold(
  points: HeldOutPoint[],
  { oosLabel = 'oos', percentile = 0.01, oosWeight = 0.5, maxThreshold = 0.5, minOos = MIN_OOS_FOR_THRESHOLD }:
  { oosLabel?: string; percentile?: number; oosWeight?: number; maxThreshold?: number; minOos?: number } = {},
): { threshold: number; method: 'oos-balanced' | 'percentile' | 'none' } {
  const inScope = points.filter((p) => p.truth !== oosLabel);
  const oos = points.filter((p) => p.truth === oosLabel);
  if (oos.length >= Math.max(1, minOos) && inScope.length > 0) {
    const candidates = [0, ...new Set(points.map((p) => p.confidence))].sort((x, y) => x - y);
    // One sweep over the ascending candidates instead of a pass over all points per candidate.
    const right = ascending(inScope.filter((p) => p.top === p.truth));
    const missed = ascending(oos.filter((p) => p.top !== oosLabel));
    const caughtAnyway = oos.length - missed.length;
    let best = { threshold: 0, score: -Infinity };
    let below = 0;
    let missedBelow = 0;
    for (const t of candidates) {
      // Strictly-below semantics: a prediction with confidence exactly t is kept.
      while (below < right.length && right[below] < t) below++;
      while (missedBelow < missed.length && missed[missedBelow] < t) missedBelow++;
      const score = (right.length - below) / inScope.length + oosWeight * ((caughtAnyway + missedBelow) / oos.length);
      if (score > best.score + 1e-12) best = { threshold: t, score };
    }
    return { threshold: best.threshold, method: 'oos-balanced' };
  }
  const good = inScope.filter((p) => p.top === p.truth).map((p) => p.confidence).sort((x, y) => x - y);
  if (good.length === 0) return { threshold: 0, method: 'none' };
  return { threshold: Math.min(maxThreshold, good[Math.floor(percentile * (good.length - 1))]), method: 'percentile' };
}
