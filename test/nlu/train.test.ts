import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainClassifier, type TrainedClassifier } from '../../src/nlu/train.js';
import { loadModel } from '../../src/nlu/model/load.js';
import { ModelFormatError } from '../../src/nlu/model/errors.js';
import { logitMargin } from '../../src/nlu/explain.js';
import { OptionsError } from '../../src/nlu/classifier/options.js';
import { evaluate } from '../../src/nlu/evaluate.js';
import { tinyIntents } from './fixtures.js';

/** The bytes of the weights themselves (a loaded or built model's are a view of the kernel's memory). */
const bytes = (w: Float32Array) => Buffer.from(w.buffer, w.byteOffset, w.byteLength);

let model: TrainedClassifier;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-model-'));
  model = await trainClassifier(tinyIntents(), { task: 'intent', seed: 3 });
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('trainClassifier', () => {
  it('recognises paraphrases and fills the manifest', () => {
    const p = model.predict('where is my parcel order', { topK: 3 });
    expect(p.top).toBe('order_status');
    expect(p.ranking).toHaveLength(3);
    expect(p.ranking[0].label).toBe('order_status');
    expect(p.confidence).toBe(p.ranking[0].confidence);
    expect(p.margin).toBeCloseTo(p.ranking[0].confidence - p.ranking[1].confidence, 10);
    const m = model.manifest;
    expect(m.formatVersion).toBe(1);
    expect(m.version).toMatch(/^intent-\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(m.labels).toEqual(['order_status', 'reset_password', 'return_refund', 'store_hours']);
    expect(m.temperature).toBeGreaterThan(0);
    expect(m.trainingExamples).toBe(48);
  });

  it('falls back on gibberish without overwriting the real confidence', () => {
    const p = model.predict('zxqv blorpt kkjjhh');
    expect(p.fallback).toBe(true);
    expect(p.label).toBe('fallback');
    expect(p.top).not.toBe('fallback');
    expect(p.confidence).toBeLessThan(model.manifest.fallbackThreshold);
    expect(p.confidence).toBeGreaterThan(0);
  });

  it('explains faithfully: removing the top positive words lowers the margin', () => {
    const text = 'hello, i want a refund for my order';
    const p = model.predict(text, { explain: true });
    expect(p.explanation!.length).toBeGreaterThan(0);
    const winner = model.manifest.labels.indexOf(p.top);
    const runnerUp = model.manifest.labels.indexOf(p.ranking[1].label);
    const topWords = p.explanation!.filter((c) => c.weight > 0 && c.feature.startsWith('w:') && !c.feature.includes(' ')).slice(0, 2).map((c) => c.feature.slice(2));
    expect(topWords.length).toBeGreaterThan(0);
    const without = text.split(/[\s,]+/).filter((w) => !topWords.includes(w)).join(' ');
    expect(logitMargin(model.features, model.model, without, winner, runnerUp)).toBeLessThan(logitMargin(model.features, model.model, text, winner, runnerUp));
    const weights = p.explanation!.map((c) => Math.abs(c.weight));
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });

  it('trains out-of-scope examples as a class whose predictions fall back', async () => {
    const oos = ['what is the weather', 'tell me a joke', 'who won the football', 'play some music', 'what is the capital of peru', 'how tall is everest', 'sing a song', 'recipe for pancakes'].map((text) => ({ text, label: 'oos' }));
    const m = await trainClassifier([...tinyIntents(), ...oos, ...oos.map((e) => ({ ...e, text: `hey ${e.text}` }))], { task: 'intent', seed: 3 });
    const p = m.predict('tell me a joke please');
    expect(p.top).toBe('oos');
    expect(p.fallback).toBe(true);
    const ev = evaluate(m, [{ text: 'tell me a joke', label: 'oos' }, { text: 'reset my password', label: 'reset_password' }]);
    expect(ev.oosRecall).toBe(1);
    expect(ev.inScopeAccuracy).toBe(1);
  });

  it('validates options naming the bad value', async () => {
    await expect(trainClassifier(tinyIntents(), { task: 'intent', validationSplit: 0.9 })).rejects.toThrow(OptionsError);
    await expect(trainClassifier(tinyIntents(), { task: 'intent', validationSplit: 0.9 })).rejects.toThrow(/validationSplit = 0.9/);
    await expect(trainClassifier(tinyIntents(), { task: 'chitchat' as 'intent' })).rejects.toThrow(/task = "chitchat"/);
    await expect(trainClassifier([{ text: 'a', label: 'x' }], { task: 'intent' })).rejects.toThrow(/two labels/);
    await expect(trainClassifier(tinyIntents(), { task: 'intent', featurizers: [{ kind: 'telepathy' }] })).rejects.toThrow(/unknown featurizer kind 'telepathy'/);
  });

  it('is deterministic end to end', async () => {
    const again = await trainClassifier(tinyIntents(), { task: 'intent', seed: 3 });
    expect(bytes(again.model.weights).equals(bytes(model.model.weights))).toBe(true);
    expect(again.manifest.temperature).toBe(model.manifest.temperature);
  });
});

describe('model folder', () => {
  it('round-trips: the loaded model predicts exactly the same', async () => {
    await model.save(dir);
    const loaded = await loadModel(dir);
    for (const text of ['where is my order', 'forgot password', 'zzz', 'are you open sunday?', 'refund please']) {
      expect(loaded.predict(text, { explain: true })).toEqual(model.predict(text, { explain: true }));
    }
    expect(loaded.manifest.labels).toEqual(model.manifest.labels);
    const card = await readFile(join(dir, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain(model.manifest.version);
    expect(card).toContain('Temperature scaling');
    expect(await loaded.predictAsync('reset my password')).toEqual(model.predict('reset my password'));
  });

  it('refuses another format version with a clear ModelFormatError', async () => {
    const other = await mkdtemp(join(tmpdir(), 'parley-model-v2-'));
    try {
      await model.save(other);
      const manifest = JSON.parse(await readFile(join(other, 'manifest.json'), 'utf8'));
      await writeFile(join(other, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 2 }));
      await expect(loadModel(other)).rejects.toThrow(ModelFormatError);
      await expect(loadModel(other)).rejects.toThrow(/formatVersion 2 is not supported.*retrain/);
      await expect(loadModel(join(other, 'nope'))).rejects.toThrow(/no manifest.json/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('refuses a truncated or missing weights file, naming what to do', async () => {
    const other = await mkdtemp(join(tmpdir(), 'parley-model-cut-'));
    try {
      await model.save(other);
      const weights = await readFile(join(other, 'weights.bin'));
      await writeFile(join(other, 'weights.bin'), weights.subarray(0, weights.length - 4));
      await expect(loadModel(other)).rejects.toThrow(/weights.bin \/ rows.bin sizes do not match manifest.json; the folder is corrupt/);
      await rm(join(other, 'weights.bin'));
      await expect(loadModel(other)).rejects.toThrow(/cannot read weights.bin .*retrain or restore it/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
