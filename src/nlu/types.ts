/**
 * The NLU contracts every other layer codes against. Implementations live beside this
 * file (featurizers/, classifier/, model/); callers import only these types and `loadModel`.
 */

/** A sparse feature vector: parallel arrays, indices strictly increasing within one featurizer's block. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** One input term and the feature it set, so a linear model's prediction can be explained exactly. */
export interface TermFeature {
  term: string;   // e.g. "w:refund", "w:my refund", "c:efun"
  index: number;  // index inside this featurizer's block
  value: number;  // the (weighted, normalised) value it contributed
}

/**
 * A featurizer turns text into a block of features. Blocks of several featurizers are
 * concatenated. Settings are plain JSON stored in the model manifest; state learnt by
 * `fit` (IDF weights, vocabularies) is saved in the model folder by `save`.
 */
export interface Featurizer {
  readonly kind: string;                  // 'ngrams' | 'wordvectors' | 'encoder' | 'lexicon' | ...
  readonly dim: number;                   // size of this featurizer's block
  readonly dense: boolean;                // dense blocks are explained by occlusion
  settings(): Record<string, unknown>;
  /** Learn corpus statistics (IDF...). Called once on the training texts before training. */
  fit?(texts: readonly string[]): void | Promise<void>;
  /** Precompute anything async (encoder embeddings) so `transform` can stay synchronous. */
  prepare?(texts: readonly string[]): Promise<void>;
  transform(text: string): SparseVector;
  /**
   * `transform` into arrays the featurizer reuses, valid only until its next call: for
   * prediction, which scores the vector at once and keeps nothing (no allocation per text).
   */
  transformScratch?(text: string): SparseVector;
  /** Terms behind the features of `text` (sparse featurizers only). */
  terms?(text: string): TermFeature[];
  /** Writes learnt state into the model folder; the factory reads it back (see registry). */
  save?(modelDir: string): Promise<void>;
}

/** Creates a featurizer from its manifest settings; with `modelDir`, loads its saved state. */
export type FeaturizerFactory = (settings: Record<string, unknown>, context: { modelDir?: string }) => Promise<Featurizer>;

export interface RankedLabel {
  label: string;
  confidence: number; // calibrated probability
}

export interface Contribution {
  feature: string;   // a word, an n-gram, or "[encoder] word" for occlusion
  weight: number;    // push towards the winner versus the runner-up (logit units)
}

/**
 * What a classifier says about one text. `confidence` is always the real calibrated
 * probability of `top`; fallback is a flag plus `label === 'fallback'`, never a rewritten score.
 */
export interface Prediction {
  label: string;          // the top label, or 'fallback' when below the threshold
  top: string;            // the top label whatever the threshold says
  confidence: number;     // calibrated probability of `top`
  ranking: RankedLabel[]; // best first, at most topK
  margin: number;         // confidence(top1) - confidence(top2)
  fallback: boolean;
  ambiguous: boolean;
  explanation?: Contribution[];
}

export interface SentimentPrediction extends Prediction {
  /** p(positive) - p(negative), in [-1, 1]. */
  score: number;
}

export type Task = 'intent' | 'sentiment';

export interface TrainingCurvePoint {
  epoch: number;
  loss: number;
  validationAccuracy: number;
}

export interface ModelManifest {
  formatVersion: number;
  version: string;              // e.g. "intent-20261128-120501-ab12cd"
  task: Task;
  labels: string[];
  featurizers: Array<{ kind: string; settings: Record<string, unknown> }>;
  classifier: Record<string, unknown>;   // hyper-parameters
  temperature: number;
  fallbackThreshold: number;
  ambiguityMargin: number;
  dataHash: string;
  trainingExamples: number;
  metrics: Record<string, number>;
  curve: TrainingCurvePoint[];
  createdAt: string;
  parent?: string;              // the version this one was retrained from
  feedbackIncluded?: number;
}

export interface PredictOptions {
  explain?: boolean;
  topK?: number;
}

/** A loaded, servable model. `predict` is synchronous for the built-in featurizers. */
export interface TextClassifier {
  readonly manifest: ModelManifest;
  /** True when a featurizer is asynchronous (encoder): then only `predictAsync` works. */
  readonly async?: boolean;
  predict(text: string, options?: PredictOptions): Prediction;
  /** Works for every featurizer, including async ones (encoder). */
  predictAsync(text: string, options?: PredictOptions): Promise<Prediction>;
}

export interface LabelledText {
  text: string;
  label: string;
}
