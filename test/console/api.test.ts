import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type AgentClient } from './agent-client.js';
import { startConsoleSite, type ConsoleSite } from './harness.js';

/**
 * The console API and socket over real HTTP against the real engine and a SQLite store:
 * authentication, CSRF, atomic claims, the bot's silence while an agent owns a chat,
 * replies, notes, relabelling, resolving.
 */

let site: ConsoleSite;
let n = 0;
beforeAll(async () => {
  // Many sign-ins in this file: a generous limiter here; the default one is tested below.
  site = await startConsoleSite({ contactOfferAfterMs: 0, loginRate: { capacity: 1000, refillPerSecond: 100 } });
});
afterAll(async () => {
  await site?.close();
});

/** A customer conversation that has had one turn with the bot. */
async function customerSays(conversationId: string, text: string, id = `c${++n}`) {
  const { message } = await site.engine.accept({ id, conversationId, channel: 'webchat', role: 'customer', from: `cust-${conversationId}`, text, ts: Date.now() });
  await site.engine.turnOf(message.id).catch(() => undefined);
  await site.engine.idle();
  return message;
}

async function queuedConversation(reason = 'customer asked for a human (talk_to_human 0.93)', priority = 40): Promise<string> {
  const id = `web:test-${++n}`;
  await customerSays(id, 'where is my order');
  await site.engine.ownership.escalate(id, reason, priority);
  return id;
}

describe('authentication', () => {
  it('refuses every API route and the socket without a session', async () => {
    const id = await queuedConversation();
    const gets = ['/me', '/queue', '/agents', '/canned', '/tickets', `/conversations/${id}`];
    for (const path of gets) expect((await fetch(`${site.url}/console/api${path}`)).status, path).toBe(401);
    const posts = ['/logout', `/conversations/${id}/claim`, `/conversations/${id}/release`, `/conversations/${id}/transfer`, `/conversations/${id}/resolve`, `/conversations/${id}/reply`, `/conversations/${id}/note`, `/conversations/${id}/messages/x/relabel`, `/conversations/${id}/messages/x/wrong-answer`];
    for (const path of posts) {
      const res = await fetch(`${site.url}/console/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi","to":"ben","needed":true,"intent":"greeting"}' });
      expect(res.status, path).toBe(401);
    }
    // A forged cookie is no session either.
    expect((await fetch(`${site.url}/console/api/queue`, { headers: { cookie: 'parley_console=forged' } })).status).toBe(401);
    const ws = await import('ws');
    const refused = await new Promise<number>((resolve) => {
      const socket = new ws.WebSocket(`${site.url.replace('http', 'ws')}/console/ws`, { headers: { origin: site.url } });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);
    // Nothing moved.
    expect((await site.store.getConversation(id))?.owner).toBe('queued');
  });

  it('signs in with a hashed password, sets a strict httpOnly cookie, and signs out', async () => {
    const wrong = await fetch(`${site.url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ana', password: 'nope-nope' }) });
    expect(wrong.status).toBe(401);
    const unknown = await fetch(`${site.url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'nobody', password: 'password-123' }) });
    expect(unknown.status).toBe(401);

    const res = await fetch(`${site.url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ana', password: 'password-123' }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^parley_console=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/console');
    expect(cookie).not.toContain('Secure'); // plain http here
    // Behind a TLS-terminating proxy the cookie is Secure.
    const proxied = await fetch(`${site.url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ name: 'ana', password: 'password-123' }) });
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure$/);
    const stored = JSON.stringify(await site.store.list('console-agents'));
    expect(stored).not.toContain('password-123');
    expect(stored).toContain('scrypt$');

    const ana = await signIn(site.url, 'ana');
    expect((await ana.get('/me')).body.agent).toEqual({ name: 'ana', role: 'admin' });
    expect((await ana.post('/logout')).status).toBe(200);
    expect((await ana.get('/me')).status).toBe(401);
  });

  it('refuses state-changing requests without the CSRF header, and sockets from another origin', async () => {
    const id = await queuedConversation();
    const ben = await signIn(site.url, 'ben');
    const noHeader = await fetch(`${site.url}/console/api/conversations/${id}/claim`, { method: 'POST', headers: { cookie: ben.cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(noHeader.status).toBe(403);
    expect((await ben.post(`/conversations/${id}/claim`, {}, { 'x-parley-csrf': 'wrong' })).status).toBe(403);
    expect((await site.store.getConversation(id))?.owner).toBe('queued');
    await expect(ben.socket('http://evil.example')).rejects.toThrow('403');
    const socket = await ben.socket();
    await socket.next((f) => f.type === 'hello');
    socket.close();
  });
});

describe('sessions and admin routes', () => {
  it('closes an agent\'s live socket when they sign out', async () => {
    const ben = await signIn(site.url, 'ben');
    const socket = await ben.socket();
    await socket.next((f) => f.type === 'hello');
    const closed = new Promise<number>((resolve) => socket.ws.on('close', (code) => resolve(code)));
    expect((await ben.post('/logout')).status).toBe(200);
    expect(await closed).toBe(4401);
    await expect(ben.socket()).rejects.toThrow('401');
  });

  it('limits sign-in attempts per client address', async () => {
    const strict = await startConsoleSite({ contactOfferAfterMs: 0, loginRate: { capacity: 3, refillPerSecond: 0 } });
    try {
      const attempt = () => fetch(`${strict.url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ana', password: 'guess-guess' }) });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await strict.close();
    }
  });

  it('serves the feedback review queue to admins only', async () => {
    const [ana, ben] = await Promise.all([signIn(site.url, 'ana'), signIn(site.url, 'ben')]);
    expect((await fetch(`${site.url}/console/api/review`)).status).toBe(401);
    expect((await ben.get('/review')).status).toBe(403);
    expect((await ana.get('/review')).status).toBe(200);
    expect((await ana.get('/no-such-thing')).status).toBe(404);
    const malformed = await fetch(`${site.url}/console/api/conversations/x/reply`, { method: 'POST', headers: { cookie: ana.cookie, 'x-parley-csrf': ana.csrf, 'content-type': 'application/json' }, body: '{"text":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'bad_request' });
  });
});

describe('queue and ownership', () => {
  let ana: AgentClient;
  let ben: AgentClient;
  beforeAll(async () => {
    [ana, ben] = await Promise.all([signIn(site.url, 'ana'), signIn(site.url, 'ben')]);
  });

  it('pushes the queue live, in priority order, to every agent', async () => {
    const socket = await ben.socket();
    await socket.next((f) => f.type === 'queue');
    const low = await queuedConversation('3 fallbacks in a row', 10);
    const high = await queuedConversation('negative sentiment 0.93, frustration 0.81 rising over 3 turns', 70);
    const frame = await socket.next((f) => f.type === 'queue' && f.queue.some((q: any) => q.conversationId === high) && f.queue.some((q: any) => q.conversationId === low));
    const ids = frame.queue.filter((q: any) => q.owner === 'queued').map((q: any) => q.conversationId);
    expect(ids.indexOf(high)).toBeLessThan(ids.indexOf(low));
    expect(frame.queue.find((q: any) => q.conversationId === high)).toMatchObject({ reason: expect.stringContaining('negative sentiment'), position: expect.any(Number) });
    socket.close();
  });

  it('gives a chat to exactly one of two agents claiming at once', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await queuedConversation();
      const [a, b] = await Promise.all([ana.post(`/conversations/${id}/claim`), ben.post(`/conversations/${id}/claim`)]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? 'ana' : 'ben';
      expect(await site.store.getConversation(id)).toMatchObject({ owner: 'agent', agent: winner });
      expect((a.status === 409 ? a : b).body.message).toContain(`${winner} owns it`);
      const claims = (await site.store.listAudit({ subject: id })).filter((e) => e.action === 'claim');
      expect(claims).toHaveLength(1);
    }
  });

  it('keeps the bot silent while an agent owns the chat, relays replies and hides notes', async () => {
    const id = await queuedConversation();
    expect((await ben.post(`/conversations/${id}/claim`)).status).toBe(200);
    const seen: string[] = [];
    const off = site.engine.on('message', (m) => m.conversationId === id && seen.push(`${m.role}:${m.text}`));
    await customerSays(id, 'hello? where is my order');
    expect(seen.filter((s) => s.startsWith('bot:'))).toEqual([]);

    // Only the owner may reply.
    expect((await ana.post(`/conversations/${id}/reply`, { text: 'not mine' })).status).toBe(409);
    const reply = await ben.post(`/conversations/${id}/reply`, { text: 'Hi, Ben here. Let me check your order.', clientId: 'ben-1' });
    expect(reply.status).toBe(200);
    // A resend of the same clientId (the console retrying after a network error) is stored once.
    expect(await ben.post(`/conversations/${id}/reply`, { text: 'Hi, Ben here. Let me check your order.', clientId: 'ben-1' })).toMatchObject({ status: 200, body: reply.body });
    expect((await ana.post(`/conversations/${id}/note`, { text: 'customer is a VIP, be nice' })).status).toBe(200);
    expect(seen.filter((s) => s === 'agent:Hi, Ben here. Let me check your order.')).toHaveLength(1);
    expect(seen.join('|')).not.toContain('VIP');
    const customerHistory = (await site.engine.history(id)).map((m) => m.text);
    expect(customerHistory).toContain('Hi, Ben here. Let me check your order.');
    expect(customerHistory.join('|')).not.toContain('VIP');

    const view = (await ana.get(`/conversations/${id}`)).body;
    expect(view.conversation).toMatchObject({ owner: 'agent', agent: 'ben' });
    expect(view.summary).toContain('order_status');
    expect(view.messages.find((m: any) => m.internal && m.from === 'ana')).toMatchObject({ text: 'customer is a VIP, be nice' });
    const first = view.messages.find((m: any) => m.role === 'customer');
    expect(first.understanding).toMatchObject({ intent: 'order_status', sentiment: expect.any(String), explanation: { intent: expect.any(Array) } });
    off();
  });

  it('transfers, releases, and resolves back to the bot with the escalation outcome', async () => {
    const id = await queuedConversation();
    expect((await ana.post(`/conversations/${id}/claim`)).status).toBe(200);
    expect((await ana.post(`/conversations/${id}/transfer`, { to: 'nobody' })).status).toBe(400);
    expect((await ana.post(`/conversations/${id}/transfer`, { to: 'ben' })).status).toBe(200);
    expect(await site.store.getConversation(id)).toMatchObject({ owner: 'agent', agent: 'ben' });
    expect((await ana.post(`/conversations/${id}/release`)).status).toBe(409);
    expect((await ben.post(`/conversations/${id}/release`)).status).toBe(200);
    expect((await site.store.getConversation(id))?.owner).toBe('queued');
    expect((await ben.post(`/conversations/${id}/claim`)).status).toBe(200);
    expect((await ben.post(`/conversations/${id}/resolve`, {})).status).toBe(400);
    expect((await ben.post(`/conversations/${id}/resolve`, { needed: false })).status).toBe(200);
    expect((await site.store.getConversation(id))?.owner).toBe('resolved');
    const outcome = (await site.store.listFeedback({ kind: 'escalation-outcome' })).filter((f) => f.conversationId === id);
    expect(outcome).toMatchObject([{ value: 'not-needed', by: 'ben', review: 'pending' }]);
    const told = (await site.engine.history(id)).filter((m) => m.role === 'system').map((m) => m.text).join('\n');
    expect(told).toMatch(/closed this conversation/);

    // Back with the bot: the next customer message gets a bot answer.
    await customerSays(id, 'what are your opening hours');
    const last = (await site.engine.history(id)).at(-1)!;
    expect(last.role).toBe('bot');
    const actions = (await site.store.listAudit({ subject: id })).map((e) => `${e.actor}:${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['ana:claim', 'ana:transfer', 'ben:release', 'ben:claim', 'ben:resolve', 'ana:release-refused']));
  });
});

describe('feedback from the console', () => {
  it('relabels intent and sentiment and marks a wrong answer, with redacted text and the prediction', async () => {
    const ben = await signIn(site.url, 'ben');
    const id = `web:test-${++n}`;
    const asked = await customerSays(id, 'my email is jane.doe@example.com and my order never arrived');
    const stored = (await site.store.getMessage(id, asked.id))!;
    const r1 = await ben.post(`/conversations/${id}/messages/${asked.id}/relabel`, { intent: 'late_delivery' });
    expect(r1.status).toBe(200);
    expect((await ben.post(`/conversations/${id}/messages/${asked.id}/relabel`, { sentiment: 'negative' })).status).toBe(200);
    expect((await ben.post(`/conversations/${id}/messages/${asked.id}/relabel`, { sentiment: 'furious' })).status).toBe(400);
    const botReply = (await site.engine.history(id)).find((m) => m.role === 'bot')!;
    expect((await ben.post(`/conversations/${id}/messages/${botReply.id}/relabel`, { intent: 'greeting' })).status).toBe(400);
    expect((await ben.post(`/conversations/${id}/messages/${botReply.id}/wrong-answer`)).status).toBe(200);

    const events = (await site.store.listFeedback({ kind: ['relabel-intent', 'relabel-sentiment', 'wrong-answer'] })).filter((f) => f.conversationId === id);
    expect(events.map((e) => e.kind).sort()).toEqual(['relabel-intent', 'relabel-sentiment', 'wrong-answer']);
    for (const e of events) {
      expect(e.text).toBe('my email is <email> and my order never arrived');
      expect(e.review).toBe('pending');
      expect(e.by).toBe('ben');
      expect(e.predicted).toEqual({ intent: stored.understanding!.intent, sentiment: stored.understanding!.sentiment, confidence: stored.understanding!.intentConfidence });
      expect(e.modelVersions).toEqual(stored.understanding!.modelVersions);
    }
    expect(events.find((e) => e.kind === 'relabel-intent')?.value).toBe('late_delivery');
    expect(events.find((e) => e.kind === 'wrong-answer')?.messageId).toBe(botReply.id);
    const audit = (await site.store.listAudit({ subject: id })).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['relabel-intent', 'relabel-sentiment', 'wrong-answer']));
    expect(JSON.stringify(await site.store.listAudit({ subject: id }))).not.toContain('jane.doe');
  });
});
