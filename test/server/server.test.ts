import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { createLogger } from '../../src/server/logger.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { TestClient } from '../channels/webchat/ws-client.js';
import { demoBot, intentsDir, modelsDir } from '../bot/helpers.js';

describe('bot server over real HTTP and WebSocket', () => {
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    await demoBot();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-server-'));
    // A generous hold, so that a busy test machine does not release the ack before the reply.
    const config = loadConfig({ PORT: '0', PARLEY_DATA_DIR: dataDir, PARLEY_MODELS_DIR: modelsDir, PARLEY_INTENTS_DIR: intentsDir, MODELS_RELOAD_MS: '0', REPLY_HOLD_MS: '3000' });
    server = await startServer(config, { logger: createLogger('silent') });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz, /readyz (models and store) and /metrics', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', store: true, models: server.engine.models.current().versions });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('parley_turn_duration_seconds');
    expect(metrics).toContain('parley_connected_clients');
    // The agent console is mounted on the same server (its API answers JSON, even for unknown paths).
    const consoleApi = await fetch(`${server.url}/console/api/no-such-thing`);
    expect(consoleApi.status).toBe(404);
    expect(await consoleApi.json()).toMatchObject({ error: 'not_found' });
  });

  it('chats over the web chat socket: ack, then the bot reply; the turn shows up in /metrics', async () => {
    const client = await TestClient.connect(`${server.url.replace('http', 'ws')}/chat`);
    try {
      client.send({ type: 'hello' });
      const welcome = await client.next('welcome');
      client.send({ type: 'message', clientId: 'c-1', text: 'where is my order' });
      const ack = await client.next('ack', (f) => f.clientId === 'c-1');
      expect(ack.seq).toBe(1);
      const reply = await client.next('message', (m) => m.role === 'bot');
      expect(reply.text).toMatch(/order/i);
      expect((await server.store.getMessage(welcome.conversationId, 'c-1'))?.understanding?.intent).toBe('order_status');
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/parley_messages_total\{role="customer"\} [1-9]/);
      expect(metrics).toMatch(/parley_turn_duration_seconds_count\{action="reply"\} [1-9]/);
      expect(metrics).toMatch(/parley_connected_clients 1/);
    } finally {
      client.close();
    }
  });

  it('sends the ack, the customer\'s message and the bot reply in one socket write, without typing frames', async () => {
    const client = await TestClient.connect(`${server.url.replace('http', 'ws')}/chat`);
    try {
      client.send({ type: 'hello' });
      await client.next('welcome');
      // Frames ws parses from one TCP read are emitted before the socket's next 'data' listener runs.
      let reads = 0;
      (client.ws as unknown as { _socket: NodeJS.EventEmitter })._socket.on('data', () => reads++);
      const readOf: number[] = [];
      client.ws.on('message', () => readOf.push(reads));
      for (const [i, text] of ['hi there', 'where is my order'].entries()) {
        const from = client.frames.length;
        client.send({ type: 'message', clientId: `w-${i}`, text });
        await client.next('message', (m) => m.role === 'bot', from);
        expect(client.frames.slice(from).map((f) => f.type + ('role' in f ? `:${f.role}` : ''))).toEqual(['message:customer', 'ack', 'message:bot']);
        expect(new Set(readOf.slice(from - 1)).size).toBe(1);
      }
    } finally {
      client.close();
    }
  });

  it('stores customer attributes from the widget and escalates a VIP on a negative turn', async () => {
    const client = await TestClient.connect(`${server.url.replace('http', 'ws')}/chat`);
    try {
      client.send({ type: 'hello', customer: { id: 'vip-1', attributes: { vip: 'true' } } });
      const { conversationId } = await client.next('welcome');
      client.send({ type: 'message', clientId: 'v-1', text: "my order arrived damaged and I'm not happy about it" });
      const state = await client.next('state', (s) => s.owner === 'queued');
      expect(state.owner).toBe('queued');
      expect((await server.store.getConversation(conversationId))?.escalationReason ?? '').toMatch(/vip/);
    } finally {
      client.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes the turn in flight, then refuses new messages and closes the store', async () => {
    await demoBot();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-shutdown-'));
    try {
      const config = loadConfig({ PORT: '0', PARLEY_DATA_DIR: dataDir, PARLEY_MODELS_DIR: modelsDir, PARLEY_INTENTS_DIR: intentsDir, MODELS_RELOAD_MS: '0' });
      const server = await startServer(config, { logger: createLogger('silent') });
      const { engine, store } = server;
      const activity = { id: 'g-1', conversationId: 'g', channel: 'test' as const, role: 'customer' as const, from: 'g-c', text: 'where is my order', ts: Date.now() };
      const done = engine.turnOf('g-1');
      await engine.accept(activity);
      // Shut down while the turn is queued or running: it must still complete and be stored.
      const closing = server.close();
      const outcome = await done;
      await closing;
      expect(outcome.action).toBe('reply');
      await expect(engine.accept({ ...activity, id: 'g-2' })).rejects.toThrow(/shutting down/);
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      const { openStore } = await import('../../src/store/index.js');
      const reopened = await openStore(config.store as { kind: 'sqlite'; file: string });
      expect((await reopened.listMessages('g')).map((m) => m.role)).toEqual(['customer', 'bot']);
      await reopened.close();
      expect(store.kind).toBe('sqlite');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
