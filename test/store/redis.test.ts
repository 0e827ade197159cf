import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { openStore } from '../../src/store/index.js';
import { openRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { storeContract } from './contract.js';

// CI starts Redis; an unreachable server fails this file loudly instead of skipping it.
const url = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const runId = randomBytes(6).toString('hex');
const prefixes = new Map<Store, string>();
let counter = 0;
let admin: ReturnType<typeof createClient>;

/** Deletes every key under `prefix` (SCAN + DEL of our own keys only, never FLUSHALL). */
async function dropPrefix(prefix: string): Promise<void> {
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (batch.length) await admin.del(batch);
  }
}

beforeAll(async () => {
  admin = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`Redis store tests need a Redis server at ${url} (set PARLEY_TEST_REDIS_URL): ${(err as Error).message}`);
  }
});

afterAll(async () => {
  if (!admin?.isOpen) return;
  await dropPrefix(`parley-test-${runId}-`);
  await admin.close();
});

storeContract(
  'redis',
  async (shareWith) => {
    const prefix = shareWith ? prefixes.get(shareWith)! : `parley-test-${runId}-${++counter}:`;
    const store = await openRedisStore({ url, prefix });
    prefixes.set(store, prefix);
    return store;
  },
  async () => {
    for (const prefix of new Set(prefixes.values())) await dropPrefix(prefix);
    prefixes.clear();
  },
  { sharedPubSub: true },
);

describe('redis store', () => {
  it('opens through openStore and keeps every key under its prefix', async () => {
    const prefix = `parley-test-${runId}-own:`;
    const store = await openStore({ kind: 'redis', url, prefix });
    expect(store.kind).toBe('redis');
    await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
    await store.appendMessage({ id: 'm1', conversationId: 'c1', channel: 'webchat', role: 'customer', from: 'u1', text: 'hi', ts: 1 });
    await store.addFeedback({ id: 'f1', kind: 'fallback', conversationId: 'c1', by: 'bot', ts: 1, review: 'pending' });
    await store.audit({ ts: 1, actor: 'bot', action: 'test', subject: 'c1', details: {} });
    await store.set('ns', 'k', 1);
    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
    expect(keys.length).toBeGreaterThanOrEqual(8);
    expect(keys.every((k) => k.startsWith(prefix))).toBe(true);
    await store.close();
    await dropPrefix(prefix);
  });

  it('fails fast with a clear error when the server cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const attempt = openRedisStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 1000 });
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
  });
});
