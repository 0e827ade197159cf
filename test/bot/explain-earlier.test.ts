import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEngine } from '../../src/bot/engine.js';
import { ModelsHolder } from '../../src/bot/models.js';
import { understand } from '../../src/bot/understand.js';
import { trainClassifier } from '../../src/nlu/index.js';
import { demoBot, modelsDir, repoRoot, tempStore } from './helpers.js';

// A message is explained by the models that predicted it, even after another version took over.
describe('explaining a message after a promotion', () => {
  let cleanup: () => Promise<void>;
  let before: ConversationEngine;
  let after: ConversationEngine;
  let servingThen: ModelsHolder;

  beforeAll(async () => {
    const demo = await demoBot();
    servingThen = demo.models;
    const store = await tempStore();
    cleanup = store.cleanup;
    before = new ConversationEngine({ store: store.store, models: servingThen, catalog: demo.catalog });
    // "Promoted since": another intent version serves now (the models folder still has the old one).
    const rows = (await readFile(path.join(repoRoot, 'test/fixtures/small.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string });
    const newer = await trainClassifier(rows, { task: 'intent', seed: 1 });
    const { sentiment, versions } = servingThen.current();
    const now = ModelsHolder.of({ intent: newer, sentiment, versions: { intent: newer.manifest.version, sentiment: versions.sentiment } }, modelsDir);
    after = new ConversationEngine({ store: store.store, models: now, catalog: demo.catalog });
  }, 60_000);

  afterAll(async () => {
    await before?.close();
    await after?.close();
    await cleanup?.();
  });

  it('loads the versions that made the prediction and explains with them', async () => {
    const text = 'my parcel still has not arrived';
    const { message } = await before.accept({ id: 'm1', conversationId: 'web:old', channel: 'webchat', role: 'customer', from: 'c1', text, ts: Date.now() });
    const outcome = await before.turnOf(message.id);
    expect(outcome.understanding.stored.explanationPending).toBe(true);

    expect(await after.explain('web:old')).toBe(1);
    const stored = (await after.history('web:old')).find((m) => m.id === 'm1')!.understanding!;
    expect(stored.modelVersions).toEqual(servingThen.current().versions);
    expect(stored.explanation).toEqual(understand(servingThen.current(), text).stored.explanation);
    expect(stored.explanation.intent.length).toBeGreaterThan(0);
  });
});
