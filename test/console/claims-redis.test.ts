import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { signIn } from './agent-client.js';
import { startConsoleSite, type ConsoleSite } from './harness.js';

/**
 * Two server instances sharing one Redis, an agent signed in on each: sessions work on
 * both, a chat escalated on one shows in the other's live queue, and when both agents claim
 * it at the same moment exactly one gets it.
 */
const url = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `parley-test-console-${randomBytes(6).toString('hex')}:`;
let storeA: Store;
let storeB: Store;
let a: ConsoleSite;
let b: ConsoleSite;

beforeAll(async () => {
  [storeA, storeB] = await Promise.all([openRedisStore({ url, prefix }), openRedisStore({ url, prefix })]);
  // The periodic queue refresh is pushed out of the way: live updates must come from pub/sub.
  a = await startConsoleSite({ contactOfferAfterMs: 0, queueRefreshMs: 600_000 }, { store: storeA });
  b = await startConsoleSite({ contactOfferAfterMs: 0, queueRefreshMs: 600_000 }, { store: storeB });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await storeA?.close();
  await storeB?.close();
  const admin = createClient({ url });
  await admin.connect();
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (batch.length) await admin.del(batch);
  await admin.close();
});

describe('console on two instances (Redis)', () => {
  it('shows escalations live on every instance and gives a chat to exactly one of two agents claiming at once', async () => {
    const [ana, ben] = await Promise.all([signIn(a.url, 'ana'), signIn(b.url, 'ben')]);
    const benLive = await ben.socket();
    await benLive.next((f) => f.type === 'queue');
    // A session made on A is valid on B: they live in the shared store.
    expect((await fetch(`${b.url}/console/api/me`, { headers: { cookie: ana.cookie } })).status).toBe(200);
    for (let round = 0; round < 5; round++) {
      const id = `web:redis-${round}`;
      const { message } = await a.engine.accept({ id: `r${round}`, conversationId: id, channel: 'webchat', role: 'customer', from: 'cust', text: 'where is my order', ts: Date.now() });
      await a.engine.turnOf(message.id);
      await a.engine.ownership.escalate(id, 'customer asked for a human', 30);
      // Escalated on A, seen live by the agent on B.
      await benLive.next((f) => f.type === 'queue' && f.queue.some((q: { conversationId: string }) => q.conversationId === id));
      const [ra, rb] = await Promise.all([ana.post(`/conversations/${id}/claim`), ben.post(`/conversations/${id}/claim`)]);
      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
      const winner = ra.status === 200 ? 'ana' : 'ben';
      expect(await storeA.getConversation(id)).toMatchObject({ owner: 'agent', agent: winner });
      expect((await storeB.listAudit({ subject: id })).filter((e) => e.action === 'claim')).toHaveLength(1);
    }
    benLive.close();
  });
});
