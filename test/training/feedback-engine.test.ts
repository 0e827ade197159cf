import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/bot/create.js';
import type { ConversationEngine } from '../../src/bot/engine.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { buildReviewQueue } from '../../src/training/feedback-queue.js';

/** The real engine with the repository's models: what it records as feedback, and how. */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let root: string;
let store: Store;
let engine: ConversationEngine;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'parley-feedback-engine-'));
  store = await openSqliteStore({ file: path.join(root, 'parley.db') });
  engine = await createEngine({ store, modelsDir: path.join(repo, 'models'), intentsDir: path.join(repo, 'intents') });
});

afterAll(async () => {
  await engine?.close();
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

async function say(conversationId: string, id: string, text: string) {
  const done = engine.turnOf(id);
  await engine.accept({ id, conversationId, channel: 'test', role: 'customer', from: 'cust-1', text, ts: Date.now() });
  return done;
}

describe('the engine records feedback through recordFeedback', () => {
  it('records a fallback for review, redacted, with the prediction and model versions, once per message', async () => {
    const outcome = await say('conv-fb', 'm1', 'qwzx vlorp jibber, write to me at kim@example.org');
    expect(outcome.understanding.stored.fallback).toBe(true);
    const events = await store.listFeedback({ kind: 'fallback' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'fallback', conversationId: 'conv-fb', messageId: 'm1', by: 'bot', review: 'pending',
      text: 'qwzx vlorp jibber, write to me at <email>',
      modelVersions: outcome.understanding.stored.modelVersions,
    });
    expect(events[0].predicted?.confidence).toBe(outcome.understanding.stored.intentConfidence);
    // It heads the review queue.
    expect(buildReviewQueue(events)[0].reasons).toContain('fallback');
  });

  it('records thumbs redacted, with the prediction of the message the reply answered', async () => {
    const outcome = await say('conv-th', 'm1', 'where is my order? I am kim@example.org');
    const reply = outcome.posted.find((m) => m.role === 'bot')!;
    await engine.thumbs('conv-th', reply.id, 'down', 'cust-1');
    const [event] = await store.listFeedback({ kind: 'thumbs' });
    expect(event).toMatchObject({ kind: 'thumbs', value: 'down', text: 'where is my order? I am <email>', predicted: { intent: outcome.understanding.stored.intent } });
    expect(JSON.stringify(await store.listFeedback())).not.toContain('kim@example.org');
  });
});
