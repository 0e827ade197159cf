import type { ModelManifest, PredictOptions, Prediction, RankedLabel, SentimentPrediction, TextClassifier } from './types.js';
import type { CompositeFeaturizer } from './featurizers/composite.js';
import type { LinearModel } from './classifier/linear.js';
import { softmax } from './classifier/math.js';
import { explain, occlusionTexts } from './explain.js';
import { saveModel } from './model/save.js';

/** The label reserved for out-of-scope training examples. */
export const OOS_LABEL = 'oos';
/** The label of a prediction below the confidence threshold (or out of scope). */
export const FALLBACK_LABEL = 'fallback';

/**
 * A trained or loaded model: featurizers + linear softmax + calibration + fallback policy.
 * `predict` is synchronous when every featurizer is (the built-in ones are).
 *
 * @example
 * const p = model.predict('where is my parcel', { explain: true });
 * // { label: 'track_package', top: 'track_package', confidence: 0.93, fallback: false, ... }
 */
export class ParleyClassifier implements TextClassifier {
  private readonly z: Float64Array<ArrayBuffer>;
  private readonly oosIndex: number;
  private readonly sentiment: { positive: number; negative: number } | undefined;

  constructor(
    readonly manifest: ModelManifest,
    readonly features: CompositeFeaturizer,
    readonly model: LinearModel,
  ) {
    this.z = new Float64Array(manifest.labels.length);
    this.oosIndex = manifest.labels.indexOf(OOS_LABEL);
    const positive = manifest.labels.indexOf('positive');
    const negative = manifest.labels.indexOf('negative');
    this.sentiment = manifest.task === 'sentiment' && positive >= 0 && negative >= 0 ? { positive, negative } : undefined;
  }

  /** True when a featurizer is asynchronous (encoder): `predict` then throws, use `predictAsync`. */
  get async(): boolean {
    return this.features.async;
  }

  /** Calibrated probabilities of every label (manifest label order). */
  probabilities(text: string): Float64Array {
    // An asynchronous featurizer (encoder) throws from transform when `text` was not prepared.
    const p = new Float64Array(this.manifest.labels.length);
    this.model.scores(this.features.transform(text), p);
    return softmax(p, this.manifest.temperature);
  }

  async probabilitiesAsync(text: string): Promise<Float64Array> {
    await this.features.prepare([text]);
    return this.probabilities(text);
  }

  predict(text: string, options: PredictOptions = {}): Prediction {
    // Scores into this model's scratch array: `decide` copies what it keeps out of it.
    const z = this.z;
    this.model.scoresOfParts(this.features.transformParts(text), this.features.offsets, z);
    return this.decide(text, softmax(z, this.manifest.temperature), options);
  }

  async predictAsync(text: string, options: PredictOptions = {}): Promise<Prediction> {
    // Occlusion explanations featurize variants of the text: embed them up front.
    if (options.explain && this.features.async) await this.features.prepare(occlusionTexts(text));
    return this.decide(text, await this.probabilitiesAsync(text), options);
  }

  /** Writes the model folder (manifest, weights, featurizer state, model card). */
  async save(dir: string): Promise<void> {
    await saveModel(dir, this);
  }

  private decide(text: string, p: Float64Array, { explain: wantExplanation = false, topK = 5 }: PredictOptions): Prediction | SentimentPrediction {
    const { labels, fallbackThreshold, ambiguityMargin } = this.manifest;
    let first = 0;
    let second = -1;
    for (let l = 1; l < p.length; l++) {
      if (p[l] > p[first]) { second = first; first = l; } else if (second < 0 || p[l] > p[second]) second = l;
    }
    const confidence = p[first];
    const margin = second >= 0 ? confidence - p[second] : confidence;
    const fallback = confidence < fallbackThreshold || first === this.oosIndex;
    const prediction: Prediction | SentimentPrediction = {
      label: fallback ? FALLBACK_LABEL : labels[first],
      top: labels[first],
      confidence,
      ranking: rank(labels, p, topK),
      margin,
      fallback,
      ambiguous: second >= 0 && margin < ambiguityMargin,
    };
    if (this.sentiment) (prediction as SentimentPrediction).score = p[this.sentiment.positive] - p[this.sentiment.negative];
    if (wantExplanation && second >= 0) prediction.explanation = explain(this.features, this.model, text, first, second);
    return prediction;
  }
}

/** The `k` most probable labels, best first. */
function rank(labels: string[], p: Float64Array, k: number): RankedLabel[] {
  const n = Math.min(Math.max(1, k), labels.length);
  if (n > 8) {
    const all = Array.from({ length: labels.length }, (_, l) => l).sort((a, b) => p[b] - p[a] || a - b);
    return all.slice(0, n).map((l) => ({ label: labels[l], confidence: p[l] }));
  }
  // Small k: insert into a short sorted list instead of sorting every label.
  const best = RANK_SCRATCH;
  let size = 0;
  for (let l = 0; l < p.length; l++) {
    if (size === n && p[l] <= p[best[n - 1]]) continue;
    let at = size < n ? size++ : n - 1;
    while (at > 0 && p[best[at - 1]] < p[l]) { best[at] = best[at - 1]; at--; }
    best[at] = l;
  }
  const ranking: RankedLabel[] = [];
  for (let i = 0; i < n; i++) ranking.push({ label: labels[best[i]], confidence: p[best[i]] });
  return ranking;
}

/** The short sorted list of `rank` (k <= 8), reused: a prediction allocates only what it returns. */
const RANK_SCRATCH = new Int32Array(8);
