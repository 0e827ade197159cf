import { describe, expect, it } from 'vitest';
import { signIn } from './agent-client.js';
import { twoSitesOnRedis } from './harness.js';

/**
 * Two server instances sharing one Redis, an agent signed in on each: sessions work on
 * both, a chat escalated on one shows in the other's live queue, and when both agents claim
 * it at the same moment exactly one gets it.
 */
const sites = twoSitesOnRedis('console');

describe('console on two instances (Redis)', () => {
  it('shows escalations live on every instance and gives a chat to exactly one of two agents claiming at once', async () => {
    const [ana, ben] = await Promise.all([signIn(sites.a.url, 'ana'), signIn(sites.b.url, 'ben')]);
    const benLive = await ben.socket();
    await benLive.next((f) => f.type === 'queue');
    // A session made on A is valid on B: they live in the shared store.
    expect((await fetch(`${sites.b.url}/console/api/me`, { headers: { cookie: ana.cookie } })).status).toBe(200);
    for (let round = 0; round < 5; round++) {
      const id = `web:redis-${round}`;
      const { message } = await sites.a.engine.accept({ id: `r${round}`, conversationId: id, channel: 'webchat', role: 'customer', from: 'cust', text: 'where is my order', ts: Date.now() });
      await sites.a.engine.turnOf(message.id);
      await sites.a.engine.ownership.escalate(id, 'customer asked for a human', 30);
      // Escalated on A, seen live by the agent on B.
      await benLive.next((f) => f.type === 'queue' && f.queue.some((q: { conversationId: string }) => q.conversationId === id));
      const [ra, rb] = await Promise.all([ana.post(`/conversations/${id}/claim`), ben.post(`/conversations/${id}/claim`)]);
      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
      const winner = ra.status === 200 ? 'ana' : 'ben';
      expect(await sites.storeA.getConversation(id)).toMatchObject({ owner: 'agent', agent: winner });
      expect((await sites.storeB.listAudit({ subject: id })).filter((e) => e.action === 'claim')).toHaveLength(1);
    }
    benLive.close();
  });
});
