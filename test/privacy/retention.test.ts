import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { applyRetention, deleteCustomer, exportCustomer } from '../../src/privacy/retention.js';

const DAY = 86_400_000;
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-privacy-'));
  store = await openStore({ kind: 'sqlite', file: path.join(dir, 'parley.sqlite') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function seed(conversationId: string, customerId: string, texts: string[]): Promise<void> {
  await store.ensureConversation({ id: conversationId, channel: 'webchat', customerId, attributes: { vip: 'true' } });
  let i = 0;
  for (const text of texts) {
    await store.appendMessage({ id: `${conversationId}-m${i++}`, conversationId, channel: 'webchat', role: i % 2 ? 'customer' : 'bot', from: i % 2 ? customerId : 'bot', text, ts: 1_000 + i });
  }
  await store.addFeedback({ id: `${conversationId}-f`, kind: 'thumbs', conversationId, messageId: `${conversationId}-m1`, value: 'down', text: 'where is my order <number>', by: customerId, ts: 2_000, review: 'pending' });
}

describe('exportCustomer', () => {
  it("returns the customer's conversations with every message, transitions and feedback, and nobody else's", async () => {
    await seed('c1', 'alice', ['where is my order', 'It shipped.', 'thanks']);
    await seed('c2', 'alice', ['refund please']);
    await seed('c3', 'bob', ['hi']);
    await store.transition({ conversationId: 'c1', from: 'bot', to: 'queued', by: 'policy', reason: '3 fallbacks in a row', ts: 3_000 });

    const data = await exportCustomer(store, 'alice', Date.UTC(2026, 0, 1));
    expect(data.customerId).toBe('alice');
    expect(data.exportedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(data.conversations.map((c) => c.id).sort()).toEqual(['c1', 'c2']);
    const c1 = data.conversations.find((c) => c.id === 'c1')!;
    expect(c1.messages.map((m) => m.text)).toEqual(['where is my order', 'It shipped.', 'thanks']);
    expect(c1.transitions).toHaveLength(1);
    expect(c1.attributes).toEqual({ vip: 'true' });
    expect(data.feedback.map((f) => f.id).sort()).toEqual(['c1-f', 'c2-f']);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data); // plain JSON
  });

  it('returns an empty export for an unknown customer', async () => {
    const data = await exportCustomer(store, 'nobody');
    expect(data.conversations).toEqual([]);
    expect(data.feedback).toEqual([]);
  });
});

describe('deleteCustomer', () => {
  it('deletes the customer and only them, and audits it', async () => {
    await seed('c1', 'alice', ['a', 'b']);
    await seed('c3', 'bob', ['hi']);
    expect(await deleteCustomer(store, 'alice', { actor: 'cli', now: 5_000 })).toEqual({ deleted: 1 });
    expect((await exportCustomer(store, 'alice')).conversations).toEqual([]);
    expect(await store.getConversation('c3')).toBeDefined();
    expect((await store.listFeedback()).map((f) => f.id)).toEqual(['c3-f']);
    const audit = await store.listAudit({ action: 'privacy.delete' });
    expect(audit).toMatchObject([{ actor: 'cli', subject: 'alice', details: { conversations: 1 } }]);
  });

  it('rejects an empty customer id', async () => {
    await expect(deleteCustomer(store, '')).rejects.toThrow();
  });
});

describe('applyRetention', () => {
  it('deletes conversations older than maxAgeDays and keeps the (redacted) feedback', async () => {
    await seed('c1', 'alice', ['a']);
    await seed('c2', 'bob', ['b']);
    const now = Date.now();
    expect((await applyRetention(store, { maxAgeDays: 30, now: now + 29 * DAY })).deleted).toBe(0);
    expect(await store.getConversation('c1')).toBeDefined();

    const result = await applyRetention(store, { maxAgeDays: 30, now: now + 31 * DAY });
    expect(result.deleted).toBe(2);
    expect(result.cutoff).toBe(now + DAY);
    expect(await store.listConversations()).toEqual([]);
    expect(await store.listMessages('c1')).toEqual([]);
    expect((await store.listFeedback()).map((f) => f.id).sort()).toEqual(['c1-f', 'c2-f']);
    expect(await store.listAudit({ action: 'retention' })).toHaveLength(2);
  });

  it('validates its options', async () => {
    await expect(applyRetention(store, { maxAgeDays: 0 })).rejects.toThrow();
    await expect(applyRetention(store, { maxAgeDays: -3 })).rejects.toThrow();
  });
});
