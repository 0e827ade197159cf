import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCurrent } from '../../src/nlu/index.js';
import { loadConfig } from '../../src/server/config.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { promote } from '../../src/training/registry.js';
import { TestClient } from '../channels/webchat/ws-client.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let root: string;
let modelsDir: string;
let server: RunningServer;
let oldVersion: string;
let newVersion: string;

/**
 * A second intent version: a copy of the repository's current intent model under another
 * version name (the swap is about which folder serves, not about what it learnt).
 */
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'parley-hotswap-'));
  modelsDir = path.join(root, 'models');
  mkdirSync(modelsDir);
  const current = await readCurrent(path.join(repo, 'models'));
  oldVersion = current.intent!;
  newVersion = `${oldVersion}-promoted`;
  for (const v of [current.intent!, current.sentiment!]) cpSync(path.join(repo, 'models', v), path.join(modelsDir, v), { recursive: true });
  cpSync(path.join(modelsDir, oldVersion), path.join(modelsDir, newVersion), { recursive: true });
  const manifestFile = path.join(modelsDir, newVersion, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), version: newVersion }));
  writeFileSync(path.join(modelsDir, 'current.json'), JSON.stringify({ intent: oldVersion, sentiment: current.sentiment }));
  server = await startServer(loadConfig({
    PORT: '0', LOG_LEVEL: 'silent', TRAIN_IF_MISSING: 'false', PARLEY_DATA_DIR: path.join(root, 'data'), PARLEY_MODELS_DIR: modelsDir,
    PARLEY_INTENTS_DIR: path.join(repo, 'intents'), MODELS_RELOAD_MS: '300', RATE_PER_CONNECTION: '1000', RATE_REFILL_PER_SECOND: '1000',
  }));
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The intent model version the turn of a customer message ran with. */
async function versionOf(conversationId: string, text: string): Promise<string | undefined> {
  const messages = await server.store.listMessages(conversationId);
  return messages.find((m) => m.role === 'customer' && m.text === text)?.understanding?.modelVersions.intent;
}

describe('hot swap on a running server', () => {
  it('serves a promoted model from the next message on, without a restart and without failing messages in flight', async () => {
    const client = await TestClient.connect(`${server.url.replace('http', 'ws')}/chat`);
    try {
      client.send({ type: 'hello' });
      const { conversationId } = await client.next('welcome');
      let n = 0;
      /** Sends one message and waits for the bot's answer to it. */
      const say = async (text: string) => {
        const from = client.frames.length;
        client.send({ type: 'message', clientId: `m${++n}`, text });
        await client.next('ack', (a) => a.clientId === `m${n}`, from, 10_000);
        await client.next('message', (m) => m.role === 'bot', from, 10_000);
        return versionOf(conversationId, text);
      };
      expect(await say('where is my order')).toBe(oldVersion);

      // Messages in flight while the pointer changes: every one is answered.
      const burst = Array.from({ length: 6 }, (_, i) => `is my parcel coming today ${i}`);
      const sent = client.frames.length;
      burst.forEach((text, i) => client.send({ type: 'message', clientId: `b${i}`, text }));
      await promote(modelsDir, newVersion, { by: 'test', reason: 'hot swap test' });
      for (let i = 0; i < burst.length; i++) await client.next('ack', (a) => a.clientId === `b${i}`, sent, 10_000);
      const deadline = Date.now() + 10_000;
      while (client.frames.slice(sent).filter((f) => f.type === 'message' && f.role === 'bot').length < burst.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(client.frames.slice(sent).filter((f) => f.type === 'message' && f.role === 'bot').length).toBeGreaterThanOrEqual(burst.length);
      expect(client.frames.slice(sent).filter((f) => f.type === 'error')).toEqual([]);
      for (const text of burst) expect([oldVersion, newVersion]).toContain(await versionOf(conversationId, text));

      // The server notices by itself (watch / poll); from then on every turn uses the new model.
      let version: string | undefined;
      for (let i = 0; i < 100 && version !== newVersion; i++) {
        version = await say(`track my package please ${i}`);
        if (version !== newVersion) await new Promise((r) => setTimeout(r, 100));
      }
      expect(version).toBe(newVersion);
      expect(server.engine.models.current().versions.intent).toBe(newVersion);
      expect(await say('thanks, bye')).toBe(newVersion);
    } finally {
      client.close();
    }
  });
});
