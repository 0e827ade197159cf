import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEngine } from '../../src/bot/engine.js';
import { ModelsHolder } from '../../src/bot/models.js';
import { understand } from '../../src/bot/understand.js';
import { loadModel } from '../../src/nlu/index.js';
import { generateTinyEncoder } from '../../src/nlu/tiny-encoder/index.js';
import { recipeFor, trainModel } from '../../src/training/train-model.js';
import { demoBot, intentsDir, tempStore } from './helpers.js';

// The whole path a team with a pretrained encoder takes: train with `--encoder`, serve the
// model through the real engine. The encoder is a tiny model generated here (no download).
describe('a model with a transformers.js encoder, served by the engine', () => {
  let tmp: string;
  let engine: ConversationEngine;
  let models: ModelsHolder;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-encoder-engine-'));
    await generateTinyEncoder(path.join(tmp, 'encoders', 'tiny-encoder'), { dim: 32 });
    const trained = await trainModel({ data: intentsDir, out: path.join(tmp, 'intent-enc'), encoder: { model: 'tiny-encoder', localPath: path.join(tmp, 'encoders') } });
    expect(trained.model.manifest.featurizers.map((f) => f.kind)).toContain('encoder');
    const [intent, demo] = await Promise.all([loadModel(trained.dir), demoBot()]);
    const { sentiment, versions } = demo.models.current();
    models = ModelsHolder.of({ intent, sentiment, versions: { intent: intent.manifest.version, sentiment: versions.sentiment } });
    const store = await tempStore();
    cleanup = store.cleanup;
    engine = new ConversationEngine({ store: store.store, models, catalog: demo.catalog });
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    await cleanup?.();
    await rm(tmp, { recursive: true, force: true });
  });

  it('is asynchronous: the synchronous path refuses it', () => {
    expect(models.current().intent.async).toBe(true);
    expect(() => understand(models.current(), 'plugh xyzzy, a text nobody embedded')).toThrow();
  });

  it('answers a customer with the encoder model and explains the prediction', async () => {
    const { message } = await engine.accept({ id: 'm1', conversationId: 'web:enc', channel: 'webchat', role: 'customer', from: 'c1', text: 'where is my order', ts: Date.now() });
    const outcome = await engine.turnOf(message.id);
    expect(outcome.action).toBe('reply');
    expect(outcome.understanding.stored.intent).toBe('order_status');
    expect(outcome.understanding.stored.modelVersions.intent).toBe(models.current().versions.intent);
    expect(outcome.posted[0]?.role).toBe('bot');
    // Explained when an agent is about to read it (the console asks the engine).
    expect(outcome.understanding.stored.explanationPending).toBe(true);
    expect(await engine.explain('web:enc')).toBe(1);
    const stored = (await engine.history('web:enc')).find((m) => m.id === 'm1');
    expect(stored?.understanding?.explanationPending).toBeUndefined();
    expect(stored?.understanding?.explanation.intent.length).toBeGreaterThan(0);
  });

  it('is retrained with the same encoder', () => {
    const like = models.current().intent.manifest;
    const recipe = recipeFor('intent', undefined, { like });
    expect(recipe.featurizers?.find((f) => f.kind === 'encoder')?.settings).toMatchObject({ model: 'tiny-encoder' });
    expect(recipeFor('intent').featurizers?.some((f) => f.kind === 'encoder')).toBe(false);
  });
});
