import type { TrainOptions } from '../nlu/index.js';

/** Weight of the (unit-length) word-vector block against the n-grams and the lexicon. */
export const WORD_VECTORS_SCALE = 3;
/** SIF smoothing of the word-vector block: frequent words count less than at the default 1e-3. */
export const WORD_VECTORS_SIF_A = 1e-4;

/**
 * How Parley's default sentiment model is trained (scripts/train-sentiment.ts, the tests and
 * bench/sentiment.ts share this one recipe): word 1-2-grams plus in-word character 3-5-grams
 * at half weight (less tied to support-chat spelling, so it carries better to other text),
 * the lexicon block for words the training data never saw, the GloVe sentence vector
 * (`wordvectors`, needs models/wordvectors/) that relates unseen words to trained ones, and
 * no fallback: a sentiment model always answers. Returns a fresh object each call, safe to
 * modify.
 *
 * The word-vector block is weighted 3x and uses SIF a = 1e-4: picked on a held-out slice of
 * out-of-domain review sentences (at weight 1 and a = 1e-3 the block barely moved the
 * n-gram weights). The project's own held-out tests stay at ~0.96.
 *
 * @example const model = await trainClassifier(train, sentimentRecipe());
 */
export function sentimentRecipe(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    task: 'sentiment',
    featurizers: [
      { kind: 'ngrams', settings: { charNgrams: [3, 5], charWeight: 0.5 } },
      { kind: 'lexicon', settings: {} },
      { kind: 'wordvectors', settings: { sifA: WORD_VECTORS_SIF_A, scale: WORD_VECTORS_SCALE } },
    ],
    seed: 1,
    fallbackPercentile: 0,
    ...overrides,
  };
}
