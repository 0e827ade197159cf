import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { attachWebchat, expirySweepMs, type AttachWebchatOptions, type WebchatHandle } from '../../../src/channels/webchat/attach.js';
import { signResumeToken } from '../../../src/channels/webchat/resume-token.js';
import { MemoryEngine } from './memory-engine.js';
import { TestClient } from './ws-client.js';

const secret = 'webchat-test-secret-0123456789';
let running: Array<{ server: http.Server; handle: WebchatHandle; clients: TestClient[] }> = [];

async function start(options: Partial<AttachWebchatOptions> = {}) {
  const engine = new MemoryEngine();
  const server = http.createServer((_req, res) => res.end('ok'));
  const handle = attachWebchat(server, engine, { secret, ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;
  const entry = { server, handle, clients: [] as TestClient[] };
  running.push(entry);
  const connect = async () => {
    const c = await TestClient.connect(url);
    entry.clients.push(c);
    return c;
  };
  /** A client that said hello and got its welcome. */
  const join = async (hello: object = {}) => {
    const c = await connect();
    c.send({ type: 'hello', ...hello });
    return { c, welcome: await c.next('welcome') };
  };
  return { engine, handle, url, connect, join };
}

afterEach(async () => {
  for (const { server, handle, clients } of running) {
    clients.forEach((c) => c.ws.terminate());
    await handle.close();
    await new Promise((resolve) => server.close(resolve));
  }
  running = [];
});

describe('webchat server', () => {
  it('welcomes a new customer with a conversation and a resume token', async () => {
    const { join } = await start();
    const { welcome } = await join({ customer: { id: 'shop-user-1' } });
    expect(welcome.conversationId).toMatch(/^web:/);
    expect(welcome.customerId).toBe('shop-user-1');
    expect(welcome.resumeToken).toContain('.');
  });

  it('acks a message only once it is stored, with its seq, then relays the bot reply', async () => {
    // Each frame at once (no hold for the reply): the typing indicator goes out too.
    const { engine, join } = await start({ replyHoldMs: 0 });
    const { c, welcome } = await join();
    c.send({ type: 'message', clientId: 'c1', text: 'hello there' });
    const ack = await c.next('ack');
    expect(ack).toEqual({ type: 'ack', clientId: 'c1', seq: 1 });
    expect(engine.messages(welcome.conversationId)[0]).toMatchObject({ id: 'c1', role: 'customer', text: 'hello there', channel: 'webchat', from: welcome.customerId });
    expect(await c.next('message', (m) => m.role === 'bot')).toMatchObject({ seq: 2, text: 'echo: hello there' });
    expect(await c.next('typing')).toEqual({ type: 'typing', role: 'bot', on: true });
  });

  it('sends a quick reply in the same write as the ack and the customer\'s own message, without typing frames', async () => {
    const { join } = await start({ replyHoldMs: 5000 });
    const { c } = await join();
    // Frames ws parses from one TCP read are emitted before the socket's next 'data' listener runs.
    let reads = 0;
    (c.ws as unknown as { _socket: NodeJS.EventEmitter })._socket.on('data', () => reads++);
    const readOf = new Map<string, number>();
    c.ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; role?: string };
      readOf.set(f.type + (f.role ?? ''), reads);
    });
    c.send({ type: 'message', clientId: 'c1', text: 'hello there' });
    const reply = await c.next('message', (m) => m.role === 'bot');
    expect(reply.text).toBe('echo: hello there');
    expect(c.frames.map((f) => f.type + ('role' in f ? `:${f.role}` : ''))).toEqual(['welcome', 'message:customer', 'ack', 'message:bot']);
    expect([readOf.get('messagecustomer'), readOf.get('ack')]).toEqual([readOf.get('messagebot'), readOf.get('messagebot')]);
  });

  it('keeps holding across messages written in a row, and delivers every ack and reply in seq order', async () => {
    const { join } = await start({ replyHoldMs: 5000 });
    const { c } = await join();
    for (let i = 1; i <= 3; i++) c.send({ type: 'message', clientId: `c${i}`, text: `hello ${i}` });
    await c.next('message', (m) => m.role === 'bot' && m.text === 'echo: hello 3');
    const messages = c.messages();
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(messages.filter((m) => m.role === 'bot').map((m) => m.text)).toEqual(['echo: hello 1', 'echo: hello 2', 'echo: hello 3']);
    expect(c.frames.filter((f) => f.type === 'ack').map((f) => (f as { clientId: string }).clientId)).toEqual(['c1', 'c2', 'c3']);
    // Typing frames, if a release fell between two messages, come in on/off pairs.
    const typing = c.frames.filter((f) => f.type === 'typing').map((f) => (f as { on: boolean }).on);
    expect(typing.length % 2).toBe(0);
    typing.forEach((on, i) => expect(on).toBe(i % 2 === 0));
  });

  it('shows the bot typing when the reply takes longer than replyHoldMs, with the ack before the reply', async () => {
    const { engine, join } = await start({ replyHoldMs: 50 });
    const { c } = await join();
    const release = engine.holdReplies();
    c.send({ type: 'message', clientId: 'c1', text: 'slow one' });
    // The held frames go out when the time is up: the bot typing first, then what waited.
    expect(await c.next('typing')).toEqual({ type: 'typing', role: 'bot', on: true });
    await c.next('ack');
    expect(c.frames.some((f) => f.type === 'message' && f.role === 'bot')).toBe(false);
    release();
    await c.next('message', (m) => m.role === 'bot');
    expect(await c.next('typing', (t) => !t.on)).toEqual({ type: 'typing', role: 'bot', on: false });
    const seen = c.frames.map((f) => f.type + ('role' in f ? `:${f.role}` : ''));
    expect(seen.slice(0, 4)).toEqual(['welcome', 'typing:bot', 'message:customer', 'ack']);
    expect(seen.slice(4).sort()).toEqual(['message:bot', 'typing:bot']);
  });

  it('sends an ack held for a reply before the socket closes at shutdown', async () => {
    const { engine, handle, join } = await start({ replyHoldMs: 10_000 });
    const { c, welcome } = await join();
    engine.holdReplies(); // never released: the turn is still running when the server stops
    c.send({ type: 'message', clientId: 'c1', text: 'are you there' });
    await expect.poll(() => engine.messages(welcome.conversationId).length).toBe(1);
    expect(c.frames.map((f) => f.type)).toEqual(['welcome']);
    await handle.close();
    expect((await c.closed).code).toBe(1001);
    expect(c.frames.map((f) => f.type)).toEqual(['welcome', 'typing', 'message', 'ack']);
  });

  it('does not ack a message the engine failed to store', async () => {
    const { engine, join } = await start();
    const { c, welcome } = await join();
    engine.failAccepts = true;
    c.send({ type: 'message', clientId: 'c1', text: 'lost?' });
    expect(await c.next('error')).toMatchObject({ code: 'internal', clientId: 'c1' });
    expect(c.frames.some((f) => f.type === 'ack')).toBe(false);
    expect(engine.messages(welcome.conversationId)).toHaveLength(0);
  });

  it('relays quick replies both ways', async () => {
    const { engine, join } = await start();
    const { c, welcome } = await join();
    c.send({ type: 'message', clientId: 'c1', text: 'menu' });
    const menu = await c.next('message', (m) => m.role === 'bot');
    expect(menu.quickReplies).toEqual([{ title: 'Track my order', value: 'track order' }, { title: 'Talk to a human', value: 'human' }]);
    c.send({ type: 'quickReply', clientId: 'c2', value: 'track order' });
    await c.next('ack', (a) => a.clientId === 'c2');
    expect(engine.messages(welcome.conversationId).find((m) => m.id === 'c2')?.text).toBe('track order');
  });

  it('resume replays exactly the messages after lastSeq, in order, then continues live', async () => {
    const { engine, join } = await start();
    const first = await join();
    const { conversationId, resumeToken } = first.welcome;
    first.c.send({ type: 'message', clientId: 'a', text: 'one' });
    await first.c.next('message', (m) => m.text === 'echo: one');
    // The client saw seq 1-2, then its network died while more happened.
    first.c.ws.terminate();
    engine.say(conversationId, 'agent', 'are you still there?');
    engine.say(conversationId, 'agent', 'private note', true);
    engine.say(conversationId, 'agent', 'I will wait');

    const { c } = await join({ conversationId, resumeToken, lastSeq: 2 });
    await c.next('message', (m) => m.text === 'I will wait');
    expect(c.messages().map((m) => [m.seq, m.text])).toEqual([[3, 'are you still there?'], [5, 'I will wait']]);
    c.send({ type: 'message', clientId: 'b', text: 'yes' });
    await c.next('message', (m) => m.text === 'echo: yes');
    expect(c.messages().map((m) => m.seq)).toEqual([3, 5, 6, 7]);
  });

  it('a reload (lastSeq 0) gets the whole visible history once', async () => {
    const { engine, join } = await start();
    const first = await join();
    first.c.send({ type: 'message', clientId: 'a', text: 'one' });
    await first.c.next('message', (m) => m.role === 'bot');
    engine.say(first.welcome.conversationId, 'agent', 'note', true);
    const { c } = await join({ resumeToken: first.welcome.resumeToken, lastSeq: 0 });
    await c.next('message', (m) => m.role === 'bot');
    expect(c.messages().map((m) => m.text)).toEqual(['one', 'echo: one']);
  });

  it('fills a gap from history when a later event arrives first', async () => {
    const { engine, join } = await start();
    const { c, welcome } = await join();
    engine.say(welcome.conversationId, 'agent', 'note', true); // seq 1, never announced
    engine.say(welcome.conversationId, 'agent', 'hello from Ana'); // seq 2
    await c.next('message');
    expect(c.messages().map((m) => [m.seq, m.text])).toEqual([[2, 'hello from Ana']]);
  });

  it('deduplicates a resent message by clientId, on the same socket and after a resume', async () => {
    const { engine, join } = await start();
    const first = await join();
    const { conversationId, resumeToken } = first.welcome;
    first.c.send({ type: 'message', clientId: 'same', text: 'refund please' });
    first.c.send({ type: 'message', clientId: 'same', text: 'refund please' });
    await first.c.next('ack', () => first.c.frames.filter((f) => f.type === 'ack').length === 2);
    first.c.ws.terminate();
    const { c } = await join({ conversationId, resumeToken, lastSeq: 0 });
    c.send({ type: 'message', clientId: 'same', text: 'refund please' });
    expect(await c.next('ack')).toEqual({ type: 'ack', clientId: 'same', seq: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.messages(conversationId).filter((m) => m.role === 'customer')).toHaveLength(1);
    expect(engine.messages(conversationId).filter((m) => m.role === 'bot')).toHaveLength(1);
  });

  it('refuses a clientId that names another message', async () => {
    const { join } = await start();
    const { c } = await join();
    c.send({ type: 'message', clientId: 'x', text: 'hi' });
    const reply = await c.next('message', (m) => m.role === 'bot');
    c.send({ type: 'message', clientId: reply.id, text: 'sneaky' });
    expect(await c.next('error')).toMatchObject({ code: 'duplicate_id', clientId: reply.id });
  });

  it('refuses oversized frames and texts with a reason, and closes on a frame above maxPayload', async () => {
    const { engine, join } = await start({ maxFrameBytes: 1000, maxPayloadBytes: 4000, maxTextLength: 100 });
    const { c, welcome } = await join();
    c.send({ type: 'message', clientId: 'big', text: 'x'.repeat(2000) });
    expect(await c.next('error')).toEqual({ type: 'error', code: 'too_large', reason: expect.stringMatching(/exceeds the limit of 1000/) });
    c.send({ type: 'message', clientId: 'long', text: 'y'.repeat(101) });
    expect(await c.next('error', (e) => e.code === 'text_too_long')).toMatchObject({ clientId: 'long', reason: expect.stringMatching(/101 characters exceeds the limit of 100/) });
    expect(engine.messages(welcome.conversationId)).toHaveLength(0);
    c.send({ type: 'message', clientId: 'huge', text: 'z'.repeat(10_000) });
    expect((await c.closed).code).toBe(1009);
  });

  it('refuses malformed frames with a reason and closes after repeated abuse', async () => {
    const { connect } = await start({ maxStrikes: 3 });
    const c = await connect();
    c.send('not json');
    expect(await c.next('error')).toEqual({ type: 'error', code: 'malformed', reason: 'frame is not valid JSON' });
    c.send({ type: 'message', clientId: 'c1', text: 'before hello' });
    expect(await c.next('error', (e) => e.code === 'hello_required')).toMatchObject({ reason: 'send hello before message' });
    c.send({ type: 'thumbs', messageId: 'm', value: 'sideways' });
    expect(await c.closed).toEqual({ code: 1008, reason: 'too many refused frames' });
  });

  it('refuses binary frames', async () => {
    const { join } = await start();
    const { c } = await join();
    c.ws.send(Buffer.from([1, 2, 3]));
    expect(await c.next('error')).toEqual({ type: 'error', code: 'malformed', reason: 'binary frames are not supported; send JSON text' });
  });

  it('rate-limits messages per connection without accepting the excess', async () => {
    const { engine, join } = await start({ rate: { capacity: 3, refillPerSecond: 0 } });
    const { c, welcome } = await join();
    for (let i = 1; i <= 4; i++) c.send({ type: 'message', clientId: `m${i}`, text: `msg ${i}` });
    expect(await c.next('error')).toMatchObject({ code: 'rate_limited', clientId: 'm4' });
    await c.next('ack', (a) => a.clientId === 'm3');
    expect(engine.messages(welcome.conversationId).filter((m) => m.role === 'customer').map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('closes a connection that stays silent', async () => {
    const { join } = await start({ idleTimeoutMs: 150 });
    const { c } = await join();
    expect(await c.closed).toEqual({ code: 4000, reason: 'idle' });
  });

  it('counts the idle time from the last frame: a socket that keeps talking stays open', async () => {
    const { join } = await start({ idleTimeoutMs: 300 });
    const { c } = await join();
    let open = true;
    void c.closed.then(() => { open = false; });
    const opened = Date.now();
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 50));
      c.send({ type: 'ping' });
      await c.next('pong');
    }
    const talked = Date.now() - opened;
    expect(talked).toBeGreaterThan(300);
    expect(open).toBe(true); // longer than the limit, with a frame every 50 ms
    expect(await c.closed).toEqual({ code: 4000, reason: 'idle' });
    expect(Date.now() - opened).toBeGreaterThan(talked + 300 - 20);
  });

  it('checks the deadlines a quarter of the shorter one apart, at least every 5 s', () => {
    expect(expirySweepMs({ helloTimeoutMs: 10_000, idleTimeoutMs: 300_000 })).toBe(2500);
    expect(expirySweepMs({ helloTimeoutMs: 100, idleTimeoutMs: 150 })).toBe(25);
    expect(expirySweepMs({ helloTimeoutMs: 60_000, idleTimeoutMs: 600_000 })).toBe(5000);
  });

  it('closes a socket that never says hello, and refuses a second hello', async () => {
    const silent = await (await start({ helloTimeoutMs: 100 })).connect();
    expect(await silent.closed).toEqual({ code: 4002, reason: 'no hello' });
    const { c } = await (await start()).join();
    c.send({ type: 'hello' });
    expect(await c.next('error')).toMatchObject({ code: 'already_joined' });
  });

  it('pings every keepalive and drops a peer that did not answer the previous ping; one that answers stays', async () => {
    const { url } = await start({ keepaliveMs: 100 });
    const answering = new WebSocket(url);
    const deaf = new WebSocket(url, { autoPong: false }); // like a phone that lost its network
    await Promise.all([answering, deaf].map((ws) => new Promise((r) => ws.once('open', r))));
    let pings = 0;
    deaf.on('ping', () => pings++);
    const answeringClosed = new Promise((r) => answering.once('close', r));
    let answeringOpen = true;
    void answeringClosed.then(() => { answeringOpen = false; });
    const dropped = await new Promise<number>((r) => deaf.once('close', (code) => r(code)));
    expect(dropped).toBe(1006); // terminated, no close frame
    expect(pings).toBe(1); // pinged once, dropped at the next round
    await new Promise((r) => setTimeout(r, 250));
    expect(answeringOpen).toBe(true);
    answering.terminate();
  });

  it('answers ping frames', async () => {
    const { connect } = await start();
    const c = await connect();
    c.send({ type: 'ping' });
    expect(await c.next('pong')).toEqual({ type: 'pong' });
  });

  it('refuses a forged, foreign or missing resume token', async () => {
    const { join, connect } = await start();
    const { welcome } = await join();
    const forged = signResumeToken('not-the-server-secret-at-all', { conversationId: welcome.conversationId, customerId: welcome.customerId, iat: Date.now() });
    const cases = [
      { conversationId: welcome.conversationId, resumeToken: forged },
      { conversationId: 'web:someone-else', resumeToken: welcome.resumeToken },
      { conversationId: welcome.conversationId },
    ];
    for (const hello of cases) {
      const c = await connect();
      c.send({ type: 'hello', ...hello });
      expect(await c.next('error')).toMatchObject({ code: 'bad_resume_token' });
      expect((await c.closed).code).toBe(4001);
      expect(c.messages()).toHaveLength(0);
      expect(c.frames.some((f) => f.type === 'welcome')).toBe(false);
    }
  });

  it('records thumbs on bot replies only', async () => {
    const { engine, join } = await start();
    const { c, welcome } = await join();
    c.send({ type: 'message', clientId: 'q', text: 'where is my parcel' });
    const reply = await c.next('message', (m) => m.role === 'bot');
    c.send({ type: 'thumbs', messageId: reply.id, value: 'down' });
    c.send({ type: 'thumbs', messageId: 'q', value: 'up' });
    expect(await c.next('error')).toMatchObject({ code: 'not_found' });
    expect(engine.thumbsGiven).toEqual([{ conversationId: welcome.conversationId, messageId: reply.id, value: 'down', by: welcome.customerId }]);
  });

  it('accepts thumbs on an older bot reply after a reconnect (the widget shows it from storage)', async () => {
    const { engine, join } = await start();
    const first = await join();
    first.c.send({ type: 'message', clientId: 'q', text: 'hello' });
    const reply = await first.c.next('message', (m) => m.role === 'bot');
    first.c.ws.terminate();
    const { c } = await join({ resumeToken: first.welcome.resumeToken, lastSeq: reply.seq });
    c.send({ type: 'thumbs', messageId: reply.id, value: 'up' });
    await expect.poll(() => engine.thumbsGiven.map((t) => [t.messageId, t.value])).toEqual([[reply.id, 'up']]);
    expect(c.frames.filter((f) => f.type === 'error')).toEqual([]);
  });

  it('stores messages sent in a row in the order they were written', async () => {
    const { engine, join } = await start();
    const { c, welcome } = await join();
    // Earlier messages take longer to store: concurrent accepts would store them backwards.
    engine.acceptDelayMs = (a) => (6 - Number(a.text)) * 15;
    for (let i = 1; i <= 5; i++) c.send({ type: 'message', clientId: `m${i}`, text: `${i}` });
    await c.next('ack', (a) => a.clientId === 'm5');
    expect(engine.messages(welcome.conversationId).filter((m) => m.role === 'customer').map((m) => m.text)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('relays customer typing to the engine and agent typing and ownership to the customer', async () => {
    const { engine, join } = await start();
    const { c, welcome } = await join();
    c.send({ type: 'typing', on: true });
    engine.typing(welcome.conversationId, 'agent', true);
    expect(await c.next('typing')).toEqual({ type: 'typing', role: 'agent', on: true });
    engine.transition({ conversationId: welcome.conversationId, from: 'bot', to: 'queued', by: 'policy', reason: 'asked for a human', ts: Date.now() });
    expect(await c.next('state')).toEqual({ type: 'state', owner: 'queued' });
    expect(engine.typingSeen.filter((t) => t.role === 'customer')).toEqual([{ conversationId: welcome.conversationId, role: 'customer', on: true }]);
    // Leaving mid-sentence turns the customer's typing indicator off.
    c.ws.close();
    await c.closed;
    await expect.poll(() => engine.typingSeen.at(-1)).toEqual({ conversationId: welcome.conversationId, role: 'customer', on: false });
  });

  it('never sends one conversation to another customer', async () => {
    const { join } = await start();
    const a = await join();
    const b = await join();
    a.c.send({ type: 'message', clientId: 'a1', text: 'my address is secret' });
    await a.c.next('message', (m) => m.role === 'bot');
    b.c.send({ type: 'ping' });
    await b.c.next('pong');
    expect(b.c.messages()).toHaveLength(0);
  });

  it('delivers to every tab of a conversation, and to the tabs left after one closes', async () => {
    const { engine, handle, join } = await start();
    const first = await join();
    const { conversationId, resumeToken } = first.welcome;
    const second = await join({ conversationId, resumeToken, lastSeq: 0 });
    const third = await join({ conversationId, resumeToken, lastSeq: 0 });
    first.c.send({ type: 'message', clientId: 'a', text: 'one' });
    for (const tab of [first, second, third]) await tab.c.next('message', (m) => m.text === 'echo: one');
    second.c.ws.close();
    await second.c.closed;
    engine.say(conversationId, 'agent', 'two tabs left');
    for (const tab of [first, third]) await tab.c.next('message', (m) => m.text === 'two tabs left');
    first.c.ws.close();
    await first.c.closed;
    engine.say(conversationId, 'agent', 'one tab left');
    await third.c.next('message', (m) => m.text === 'one tab left');
    expect(third.c.messages().map((m) => m.text)).toEqual(['one', 'echo: one', 'two tabs left', 'one tab left']);
    expect(second.c.messages().map((m) => m.text)).toEqual(['one', 'echo: one']);
    // Closed sockets are no longer counted once the server has seen them go.
    for (let i = 0; handle.clients() !== 1 && i < 50; i++) await new Promise((r) => setTimeout(r, 10));
    expect(handle.clients()).toBe(1);
  });

  it('counts clients and closes them on shutdown', async () => {
    const { handle, join } = await start();
    const { c } = await join();
    await join();
    expect(handle.clients()).toBe(2);
    await handle.close();
    expect(await c.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(handle.clients()).toBe(0);
  });

  it('refuses upgrades from origins not allowed', async () => {
    const { url } = await start({ allowedOrigins: ['https://shop.example'] });
    const ws = new WebSocket(url, { origin: 'https://evil.example' });
    const status = await new Promise<number | undefined>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode)).on('error', () => resolve(undefined)));
    expect(status).toBe(403);
    const ok = await TestClient.connect(url).catch(() => undefined);
    expect(ok).toBeUndefined(); // no Origin header at all is refused too
  });
});
