import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, loadModel, readCurrent, sentimentScore, trainClassifier, type TrainedClassifier } from '../../src/nlu/index.js';
import type { LabelledText } from '../../src/nlu/types.js';
import { sentimentRecipe } from '../../src/sentiment/recipe.js';
import { readJsonl } from '../../src/training/jsonl.js';
import { loadSentimentData } from '../../src/training/sentiment-data.js';

// The shipped recipe (scripts/train-sentiment.ts), trained in-process on the train split only.
const recipe = sentimentRecipe();
let model: TrainedClassifier;
let test: LabelledText[];
let train: LabelledText[];

beforeAll(async () => {
  ({ train, test } = await loadSentimentData(path.resolve(import.meta.dirname, '../../intents/sentiment')));
  model = await trainClassifier(train, recipe);
});

const top = (text: string): string => model.predict(text, { topK: 3 }).top;

describe('sentiment model trained on intents/sentiment', () => {
  it('stays above the accuracy floor on the held-out tests', () => {
    // Measured 0.962 accuracy / 0.962 macro-F1 / 0.971 negative F1 (seed 1, with word vectors); the floor leaves room for data edits.
    const e = evaluate(model, test);
    expect(e.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(e.macroF1).toBeGreaterThanOrEqual(0.93);
    expect(e.perLabel.negative.f1).toBeGreaterThanOrEqual(0.93);
  });

  // The project's checks in intents/sentiment-checks/, never trained on.
  // - other-services: telecoms, banks, airlines, hotels, rides, food delivery..., written before
  //   those services' training examples. Measured 0.927 accuracy / 0.918 negative F1 (0.893 /
  //   0.863 before the examples of other services were added).
  // - long-messages: support emails and chats of two to four sentences, written after this
  //   model's data. Measured 0.966 / 0.951 (0.955 / 0.935 before).
  it.each([
    { file: 'other-services', rows: 150, accuracy: 0.9, negativeF1: 0.88 },
    { file: 'long-messages', rows: 89, accuracy: 0.92, negativeF1: 0.9 },
  ])('stays above the floor on the $file check', async ({ file, rows, accuracy, negativeF1 }) => {
    const check = (await readJsonl(path.resolve(import.meta.dirname, `../../intents/sentiment-checks/${file}.jsonl`))) as LabelledText[];
    const e = evaluate(model, check);
    expect(check.length).toBe(rows);
    expect(e.accuracy).toBeGreaterThanOrEqual(accuracy);
    expect(e.perLabel.negative.f1).toBeGreaterThanOrEqual(negativeF1);
  });

  it('reads negation', () => {
    expect(top('not bad at all')).not.toBe('negative');
    expect(top('I am not happy with this')).toBe('negative');
  });

  it('reads sarcasm and idioms', () => {
    expect(top('thanks for nothing')).toBe('negative');
    expect(top('great, another delay')).toBe('negative');
  });

  it('reads a contrastive "but"', () => {
    expect(top('the delivery was late but the support was great')).not.toBe('negative');
  });

  it('keeps polite requests neutral even with loaded words', () => {
    expect(top('Could you please cancel my order?')).toBe('neutral');
    expect(top('I have a problem with my refund, can you help?')).toBe('neutral');
  });

  it('gives a score in [-1, 1] that orders messages sensibly', () => {
    const score = (t: string) => sentimentScore(model.predict(t, { topK: 3 }));
    expect(score('thank you so much, brilliant service')).toBeGreaterThan(0.5);
    expect(score('this is the worst service ever, I am furious')).toBeLessThan(-0.5);
    expect(score('where is my order?')).toBeGreaterThan(score('WHERE IS MY ORDER???'));
  });

  it('is deterministic for a seed', async () => {
    const again = await trainClassifier(train, recipe);
    for (const t of test.slice(0, 40)) expect(again.predict(t.text, { topK: 3 }).ranking).toEqual(model.predict(t.text, { topK: 3 }).ranking);
  });
});

describe('the shipped sentiment model (models/current.json)', () => {
  it('loads with the committed word vectors and answers', async () => {
    const modelsDir = path.resolve(import.meta.dirname, '../../models');
    const version = (await readCurrent(modelsDir)).sentiment;
    expect(version).toBeTruthy();
    const shipped = await loadModel(path.join(modelsDir, version!));
    expect(shipped.manifest.featurizers.map((f) => f.kind)).toEqual((recipe.featurizers ?? []).map((f) => f.kind));
    expect(shipped.predict('thanks for nothing', { topK: 3 }).top).toBe('negative');
    expect(shipped.predict('what a lovely, heartfelt little film', { topK: 3 }).top).toBe('positive');
  });
});
