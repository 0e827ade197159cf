import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDataset, isHeldOut, mergeFeedback, type FeedbackExample } from '../../src/training/dataset-builder.js';
import { exportAccepted } from '../../src/training/dataset-export.js';
import { recordFeedback } from '../../src/training/feedback-log.js';
import { applyReview } from '../../src/training/feedback-review.js';
import { loadIntents, toTrainingData } from '../../src/training/intents.js';
import { acceptLabel, baseExamples, workspace, type Workspace } from './retrain-fixtures.js';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.store.close();
  if (ws) rmSync(ws.root, { recursive: true, force: true });
  ws = undefined;
});

const fx = (id: string, text: string, label: string, decidedAt: number): FeedbackExample => ({ id, text, label, decidedAt });
/** Texts that land on the training side of the held-out hash (so tests do not depend on luck). */
const trainText = (stem: string): string => {
  for (let i = 0; ; i++) if (!isHeldOut(`${stem} ${i}`)) return `${stem} ${i}`;
};

describe('isHeldOut', () => {
  it('is a frozen, deterministic slice of about the given share, insensitive to case and end punctuation', () => {
    const texts = Array.from({ length: 2000 }, (_, i) => `message number ${i}`);
    const share = texts.filter((t) => isHeldOut(t)).length / texts.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    for (const t of texts.slice(0, 50)) expect(isHeldOut(`${t.toUpperCase()}!`)).toBe(isHeldOut(t));
    expect(texts.filter((t) => isHeldOut(t, 0)).length).toBe(0);
  });
});

describe('mergeFeedback', () => {
  const base = { train: [{ text: 'where is my order', label: 'order_status' }, { text: 'refund please', label: 'return_refund' }], test: [{ text: 'give me a refund', label: 'return_refund' }] };
  const opts = { task: 'intent' as const, labels: ['order_status', 'return_refund', 'cancel_order', 'oos'] };

  it('deduplicates by normalised text and resolves conflicting labels by the latest review', () => {
    const a = trainText('stop my order');
    const ds = mergeFeedback(base, [
      fx('1', a, 'return_refund', 10),
      fx('2', `${a.toUpperCase()}!`, 'cancel_order', 30), // same text, latest decision
      fx('3', `  ${a}  `, 'order_status', 20),
      fx('4', trainText('cancel the parcel'), 'cancel_order', 5),
      fx('5', trainText('cancel the parcel'), 'cancel_order', 6), // plain duplicate
    ], opts);
    expect(ds.counts).toMatchObject({ base: 2, baseTests: 1, feedback: 2, feedbackHeldOut: 0, duplicates: 3, conflicts: 1, unknownLabel: 0, overlapsTests: 0 });
    expect(ds.feedbackTrain.map((f) => [f.id, f.label]).sort()).toEqual([['2', 'cancel_order'], ['5', 'cancel_order']]);
    expect(ds.train).toHaveLength(4);
    expect(ds.train.filter((e) => e.text.toLowerCase().startsWith('stop my order'))).toEqual([{ text: `${a.toUpperCase()}!`, label: 'cancel_order' }]);
  });

  it('gives the same data in the same order whatever order the feedback arrived in', () => {
    const list = Array.from({ length: 30 }, (_, i) => fx(`id${i}`, `${trainText(`phrase ${i}`)}`, i % 2 ? 'cancel_order' : 'order_status', i));
    const a = mergeFeedback(base, list, opts);
    const b = mergeFeedback(base, [...list].reverse(), opts);
    expect(b.train).toEqual(a.train);
    expect(b.test).toEqual(a.test);
  });

  it('never trains on an intents test, drops unknown labels, relabels an intents example on review', () => {
    const ds = mergeFeedback(base, [
      fx('t', 'Give me a refund.', 'return_refund', 1),
      fx('u', trainText('book a flight'), 'book_flight', 1),
      fx('r', 'where is my order', 'cancel_order', 1),
      fx('same', 'refund please', 'return_refund', 1),
    ], opts);
    expect(ds.counts).toMatchObject({ overlapsTests: 1, unknownLabel: 1, relabelledBase: 1, duplicates: 1, feedback: 1 });
    expect(ds.train).toEqual([{ text: 'where is my order', label: 'cancel_order' }, { text: 'refund please', label: 'return_refund' }]);
    expect(ds.test).toEqual(base.test);
  });

  it('puts held-out feedback in the test data only', () => {
    let held = '';
    for (let i = 0; !held; i++) if (isHeldOut(`which store is open ${i}`)) held = `which store is open ${i}`;
    const ds = mergeFeedback(base, [fx('h', held, 'order_status', 1)], opts);
    expect(ds.counts.feedbackHeldOut).toBe(1);
    expect(ds.train).toEqual(base.train);
    expect(ds.test).toEqual([...base.test, { text: held, label: 'order_status' }]);
  });
});

describe('buildDataset and exportAccepted on a real store and intents folder', () => {
  it('builds intents + accepted feedback (redacted, sentiment kept apart) and writes it back as YAML the loader accepts', async () => {
    ws = await workspace('parley-dataset-');
    const t1 = trainText('I need to cancel my order');
    await acceptLabel(ws.store, `${t1}, mail me at jo@example.com`, 'return_refund', { id: 'a' });
    await acceptLabel(ws.store, t1 + ', mail me at jo@example.com', 'order_status', { id: 'b', now: Date.now() + 1000 }); // later review wins
    await acceptLabel(ws.store, 'where is my order', 'store_hours', { id: 'c' }); // relabels an intents example
    await acceptLabel(ws.store, 'book me a taxi', 'taxi', { id: 'd' }); // no such intent
    let held = '';
    for (let i = 0; !held; i++) if (isHeldOut(`is the shop open on holiday ${i}`)) held = `is the shop open on holiday ${i}`;
    await acceptLabel(ws.store, held, 'store_hours', { id: 'e' });
    const s = await recordFeedback(ws.store, { id: 's', kind: 'relabel-sentiment', conversationId: 'c', text: 'this is awful', value: 'negative', by: 'agent' });
    await applyReview(ws.store, s.id, { action: 'accept' }, { by: 'admin' });
    await recordFeedback(ws.store, { id: 'p', kind: 'relabel-intent', conversationId: 'c', text: 'pending one', value: 'order_status', by: 'agent' });

    const ds = await buildDataset(ws.store, { task: 'intent', data: ws.intentsDir });
    expect(ds.counts).toMatchObject({ base: baseExamples().length, feedback: 2, feedbackHeldOut: 1, conflicts: 1, duplicates: 1, unknownLabel: 1, relabelledBase: 1 });
    expect(ds.feedbackTrain.map((f) => f.id).sort()).toEqual(['b', 'c']);
    expect(ds.feedbackTrain.find((f) => f.id === 'b')!.text).toBe(`${t1}, mail me at <email>`);
    expect(ds.train.find((e) => e.text === 'where is my order')!.label).toBe('store_hours');
    expect(ds.test.at(-1)).toEqual({ text: held, label: 'store_hours' });

    const result = await exportAccepted(ws.store, ws.intentsDir);
    expect(result).toMatchObject({ examples: 2, tests: 1, moved: 1, unchanged: 0 });
    const set = await loadIntents(ws.intentsDir);
    const data = toTrainingData(set);
    expect(data.train).toContainEqual({ text: `${t1}, mail me at <email>`, label: 'order_status' });
    expect(data.train).toContainEqual({ text: 'where is my order', label: 'store_hours' });
    expect(data.train.filter((e) => e.text === 'where is my order')).toHaveLength(1);
    expect(data.test).toContainEqual({ text: held, label: 'store_hours' });
    // Comments and layout of untouched parts survive.
    expect(readFileSync(path.join(ws.intentsDir, 'order_status.yml'), 'utf8')).toMatch(/^# order_status: kept by the test\n/);
    // A second export changes nothing.
    expect(await exportAccepted(ws.store, ws.intentsDir)).toMatchObject({ examples: 0, tests: 0, files: [] });
  });
});
