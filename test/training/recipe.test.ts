import { describe, expect, it } from 'vitest';
import { intentFeaturizers, recipeFor, WORD_VECTORS_BELOW_PER_LABEL } from '../../src/training/train-model.js';

const rows = (labels: number, perLabel: number) =>
  Array.from({ length: labels * perLabel }, (_, i) => ({ text: `example ${i}`, label: `intent_${i % labels}` }));

describe('the intent recipe', () => {
  it('adds word vectors, when asked, below the examples-per-intent bound, and not from it', () => {
    // Runs from the repository root, where models/wordvectors/ is installed.
    expect(intentFeaturizers(rows(10, WORD_VECTORS_BELOW_PER_LABEL - 1), { wordVectors: true }).map((f) => f.kind)).toEqual(['ngrams', 'wordvectors']);
    expect(intentFeaturizers(rows(10, WORD_VECTORS_BELOW_PER_LABEL), { wordVectors: true }).map((f) => f.kind)).toEqual(['ngrams']);
  });

  it('is n-grams by default, and keeps its validation split', () => {
    expect(recipeFor('intent')).toEqual({ task: 'intent', featurizers: [{ kind: 'ngrams' }], validationSplit: 0.3 });
    expect(recipeFor('intent', rows(3, 5)).featurizers).toEqual([{ kind: 'ngrams' }]);
    expect(recipeFor('intent', rows(3, 5), { wordVectors: true }).featurizers?.map((f) => f.kind)).toEqual(['ngrams', 'wordvectors']);
  });
});
