import type { TrainOptions } from '../nlu/index.js';

/**
 * How Parley's default sentiment model is trained (scripts/train-sentiment.ts, the tests and
 * bench/sentiment.ts share this one recipe): word 1-2-grams plus in-word character 3-5-grams
 * at half weight (less tied to support-chat spelling, so it carries better to other text),
 * the lexicon block for words the training data never saw, and no fallback: a sentiment
 * model always answers. Returns a fresh object each call, safe to modify.
 *
 * @example const model = await trainClassifier(train, sentimentRecipe());
 */
export function sentimentRecipe(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    task: 'sentiment',
    featurizers: [
      { kind: 'ngrams', settings: { charNgrams: [3, 5], charWeight: 0.5 } },
      { kind: 'lexicon', settings: {} },
    ],
    seed: 1,
    fallbackPercentile: 0,
    ...overrides,
  };
}
