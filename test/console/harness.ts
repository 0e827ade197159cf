import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterAll, beforeAll } from 'vitest';
import { ConversationEngine } from '../../src/bot/engine.js';
import { ModelsHolder } from '../../src/bot/models.js';
import { sharesEvents } from '../../src/bot/relay.js';
import { responseCatalog } from '../../src/bot/responder.js';
import { attachWebchat, webchatRouter, type WebchatHandle } from '../../src/channels/webchat/index.js';
import { saveAgent, type ConsoleHandle, type MountConsoleOptions } from '../../src/console/index.js';
import { mountConsoleOnEngine } from '../../src/console/server-mount.js';
import { openRedisStore } from '../../src/store/redis.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { loadIntents } from '../../src/training/intents.js';
import { deletePrefix, freshPrefix, testRedisUrl } from '../helpers/redis.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEBCHAT_SECRET = 'console-test-secret-0123456789';

export interface ConsoleSite {
  url: string;
  port: number;
  store: Store;
  engine: ConversationEngine;
  console: ConsoleHandle;
  close(): Promise<void>;
}

let modelsPromise: Promise<ModelsHolder> | undefined;
let catalogPromise: ReturnType<typeof loadCatalog> | undefined;
const loadCatalog = async () => responseCatalog(await loadIntents(path.join(repoRoot, 'intents')));

/**
 * A real server for console tests: SQLite in a temp dir, the shipped models, the demo
 * intents' responses, the real engine, the web chat and the console, on 127.0.0.1:0.
 * Agents `ana` (admin) and `ben` (agent) exist with password `password-123`. Pass `store`
 * to run on another store (two sites on one Redis = two server instances).
 */
export async function startConsoleSite(options: MountConsoleOptions = {}, { store: shared }: { store?: Store } = {}): Promise<ConsoleSite> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-console-'));
  // A given store (e.g. Redis shared by two sites) belongs to the caller, who closes it.
  const store = shared ?? (await openSqliteStore({ file: path.join(dir, 'parley.sqlite') }));
  const models = await (modelsPromise ??= ModelsHolder.open(path.join(repoRoot, 'models')));
  const catalog = await (catalogPromise ??= loadCatalog());
  const engine = new ConversationEngine({ store, models, catalog });
  // Like the server: sites sharing a Redis store relay their engine events to each other.
  if (sharesEvents(store)) await engine.relay();
  const app = express();
  app.use(webchatRouter({ secret: WEBCHAT_SECRET }));
  const server = http.createServer(app);
  const webchat: WebchatHandle = attachWebchat(server, engine, {
    secret: WEBCHAT_SECRET,
    onJoin: (info) => engine.setAttributes({ id: info.conversationId, channel: 'webchat', customerId: info.customerId }, info.attributes),
  });
  const consoleHandle = mountConsoleOnEngine(app, server, { store, engine, options });
  await Promise.all([
    saveAgent(store, { name: 'ana', role: 'admin', password: 'password-123' }),
    saveAgent(store, { name: 'ben', role: 'agent', password: 'password-123' }),
  ]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    engine,
    console: consoleHandle,
    async close() {
      await consoleHandle.close();
      await webchat.close();
      await engine.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (!shared) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Two console sites (server instances) sharing one Redis under a fresh prefix, started before
 * the file's tests and stopped (keys deleted) after them. The periodic queue refresh is
 * pushed out of the way: live updates between the two must come from pub/sub.
 */
export function twoSitesOnRedis(name: string): { a: ConsoleSite; b: ConsoleSite; storeA: Store; storeB: Store } {
  const prefix = freshPrefix(name);
  const sites = {} as { a: ConsoleSite; b: ConsoleSite; storeA: Store; storeB: Store };
  beforeAll(async () => {
    [sites.storeA, sites.storeB] = await Promise.all([openRedisStore({ url: testRedisUrl, prefix }), openRedisStore({ url: testRedisUrl, prefix })]);
    sites.a = await startConsoleSite({ contactOfferAfterMs: 0, queueRefreshMs: 600_000 }, { store: sites.storeA });
    sites.b = await startConsoleSite({ contactOfferAfterMs: 0, queueRefreshMs: 600_000 }, { store: sites.storeB });
  });
  afterAll(async () => {
    await sites.a?.close();
    await sites.b?.close();
    await sites.storeA?.close();
    await sites.storeB?.close();
    await deletePrefix(prefix);
  });
  return sites;
}
