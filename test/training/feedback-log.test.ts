import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedbackEvent } from '../../src/store/types.js';
import { recordFeedback } from '../../src/training/feedback-log.js';
import { buildReviewQueue, proposedLabel, reviewPriority, taskOf } from '../../src/training/feedback-queue.js';
import { applyReview, ReviewError, reviewTimes } from '../../src/training/feedback-review.js';
import { workspace, type Workspace } from './retrain-fixtures.js';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.store.close();
  if (ws) rmSync(ws.root, { recursive: true, force: true });
  ws = undefined;
});

const event = (extra: Partial<FeedbackEvent>): FeedbackEvent => ({ id: 'e', kind: 'thumbs', conversationId: 'c', text: 'hello', by: 'x', ts: 1, review: 'pending', ...extra });

describe('recordFeedback', () => {
  it('always redacts the text before it reaches the store, and fills id, time and review', async () => {
    ws = await workspace('parley-feedback-');
    const stored = await recordFeedback(ws.store, {
      kind: 'fallback', conversationId: 'c1', messageId: 'm1', text: 'mail ann.lee@example.com or call +44 20 7946 0958 about order 48213',
      predicted: { intent: 'fallback', confidence: 0.2 }, modelVersions: { intent: 'intent-v1' }, by: 'bot',
    });
    expect(stored.text).toBe('mail <email> or call <phone> about order 48213');
    expect(stored.review).toBe('pending');
    expect(stored.id).toMatch(/^[0-9a-f-]{36}$/);
    const [back] = await ws.store.listFeedback();
    expect(back).toEqual(stored);
    expect(JSON.stringify(await ws.store.listFeedback())).not.toContain('example.com');
  });

  it('rejects malformed events instead of storing them', async () => {
    ws = await workspace('parley-feedback-');
    await expect(recordFeedback(ws.store, { kind: 'nope' as 'thumbs', conversationId: 'c', by: 'x' })).rejects.toThrow();
    expect(await ws.store.listFeedback()).toEqual([]);
  });
});

describe('review queue policy', () => {
  it('knows which task and which label an event proposes', () => {
    expect(taskOf({ kind: 'relabel-sentiment' })).toBe('sentiment');
    expect(taskOf({ kind: 'fallback' })).toBe('intent');
    expect(proposedLabel(event({ kind: 'relabel-intent', value: 'cancel_order' }))).toBe('cancel_order');
    expect(proposedLabel(event({ kind: 'thumbs', value: 'up', predicted: { intent: 'store_hours' } }))).toBe('store_hours');
    expect(proposedLabel(event({ kind: 'thumbs', value: 'down', predicted: { intent: 'store_hours' } }))).toBeUndefined();
    expect(proposedLabel(event({ kind: 'fallback', predicted: { intent: 'fallback' } }))).toBeUndefined();
    expect(proposedLabel(event({ kind: 'relabel-sentiment', value: 'negative', predicted: { sentiment: 'neutral' } }))).toBe('negative');
  });

  it('ranks disagreement, fallbacks, thumbs down, ambiguity and low confidence above confident thumbs up', () => {
    const items = buildReviewQueue([
      event({ id: 'up', kind: 'thumbs', value: 'up', predicted: { intent: 'a', confidence: 0.95 }, ts: 1 }),
      event({ id: 'down', kind: 'thumbs', value: 'down', predicted: { intent: 'a', confidence: 0.9 }, ts: 2 }),
      event({ id: 'relabel', kind: 'relabel-intent', value: 'b', predicted: { intent: 'a', confidence: 0.9 }, ts: 3 }),
      event({ id: 'fb', kind: 'fallback', predicted: { intent: 'fallback', confidence: 0.3 }, ts: 4 }),
      event({ id: 'amb', kind: 'thumbs', value: 'up', predicted: { intent: 'a', confidence: 0.9 }, messageId: 'm', ts: 5 }),
      event({ id: 'done', kind: 'fallback', review: 'accepted', ts: 6 }),
      event({ id: 'notext', kind: 'fallback', text: undefined, ts: 7 }),
      event({ id: 'outcome', kind: 'escalation-outcome', value: 'needed', ts: 8 }),
    ], { understandingOf: (e) => (e.id === 'amb' ? { ambiguous: true, alternatives: [{ label: 'a', confidence: 0.45 }, { label: 'b', confidence: 0.4 }] } as never : undefined) });
    expect(items.map((i) => i.id)).toEqual(['fb', 'relabel', 'down', 'amb', 'up']);
    expect(items[0].reasons).toEqual(['fallback', 'low confidence 0.30']);
    expect(items[1]).toMatchObject({ proposed: 'b', reasons: ['agent says b, model said a'] });
    expect(items[3].reasons).toEqual(['ambiguous (margin 0.05)']);
    expect(reviewPriority(event({ kind: 'thumbs', value: 'up', predicted: { confidence: 0.95 } })).priority).toBe(0);
  });

  it('keeps the oldest first among equals and honours the limit', () => {
    const items = buildReviewQueue([event({ id: 'b', ts: 2 }), event({ id: 'a', ts: 1 }), event({ id: 'c', ts: 3 })], { limit: 2 });
    expect(items.map((i) => i.id)).toEqual(['a', 'b']);
  });
});

describe('applyReview', () => {
  it('accepts the proposed label, corrects with a known label, discards, and audits each decision', async () => {
    ws = await workspace('parley-feedback-');
    const base = { conversationId: 'c', text: 'cancel it', by: 'agent', predicted: { intent: 'order_status', confidence: 0.5 } };
    await recordFeedback(ws.store, { ...base, id: 'f1', kind: 'relabel-intent', value: 'return_refund' });
    await recordFeedback(ws.store, { ...base, id: 'f2', kind: 'thumbs', value: 'down' });
    await recordFeedback(ws.store, { ...base, id: 'f3', kind: 'fallback' });
    const labelsOf = () => ['order_status', 'return_refund', 'oos'];

    await applyReview(ws.store, 'f1', { action: 'accept' }, { by: 'admin', labelsOf, now: () => 10 });
    await expect(applyReview(ws.store, 'f2', { action: 'accept' }, { by: 'admin', labelsOf })).rejects.toThrow(/no proposed label/);
    await expect(applyReview(ws.store, 'f2', { action: 'correct', label: 'made_up' }, { by: 'admin', labelsOf })).rejects.toMatchObject({ status: 400 });
    await applyReview(ws.store, 'f2', { action: 'correct', label: 'oos' }, { by: 'admin', labelsOf, now: () => 20 });
    await applyReview(ws.store, 'f3', { action: 'discard' }, { by: 'admin', labelsOf, now: () => 30 });
    await expect(applyReview(ws.store, 'f3', { action: 'discard' }, { by: 'admin' })).rejects.toBeInstanceOf(ReviewError);

    const reviewed = Object.fromEntries((await ws.store.listFeedback()).map((f) => [f.id, [f.review, f.reviewLabel, f.reviewedBy]]));
    expect(reviewed).toEqual({ f1: ['accepted', 'return_refund', 'admin'], f2: ['corrected', 'oos', 'admin'], f3: ['discarded', undefined, 'admin'] });
    expect(Object.fromEntries(await reviewTimes(ws.store))).toEqual({ f1: 10, f2: 20, f3: 30 });
  });
});
