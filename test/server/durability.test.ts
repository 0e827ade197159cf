import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, killChildren, serve as serveWith } from './child-server.js';
import { TestClient } from '../channels/webchat/ws-client.js';
import { demoBot } from '../bot/helpers.js';

const serve = (dataDir: string) => serveWith(dataDir, 'bin/parley.js');
afterAll(killChildren);

describe('durability across SIGKILL', () => {
  it('every acknowledged message is in the history after a kill -9 and a restart, and each gets its reply', async () => {
    await demoBot();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-kill-'));
    try {
      const first = await serve(dataDir);
      const client = await TestClient.connect(`${first.url.replace('http', 'ws')}/chat`);
      client.send({ type: 'hello' });
      const { conversationId, resumeToken } = await client.next('welcome');
      const texts = ['hi', 'where is my order', 'I want to return an item', 'how much is shipping', 'do you ship to Canada', 'thanks'];
      texts.forEach((text, i) => client.send({ type: 'message', clientId: `k-${i}`, text }));
      const acked: string[] = [];
      for (let i = 0; i < texts.length; i++) acked.push((await client.next('ack', (a) => a.clientId === `k-${i}`, 0, 10_000)).clientId);
      // Killed with turns possibly still in flight: no chance to flush or finish anything.
      first.child.kill('SIGKILL');
      await exited(first.child);
      client.close();

      const second = await serve(dataDir);
      const resumed = await TestClient.connect(`${second.url.replace('http', 'ws')}/chat`);
      resumed.send({ type: 'hello', conversationId, resumeToken, lastSeq: 0 });
      await resumed.next('welcome');
      // Every acknowledged message is there, and the restarted server answers the ones that were cut off.
      const deadline = Date.now() + 15_000;
      let history = resumed.messages();
      while (history.filter((m) => m.role === 'bot').length < texts.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        history = resumed.messages();
      }
      expect(history.filter((m) => m.role === 'customer').map((m) => m.id)).toEqual(acked);
      expect(history.filter((m) => m.role === 'bot')).toHaveLength(texts.length);
      // Delivered in seq order, without gaps or duplicates.
      expect(history.map((m) => m.seq)).toEqual(history.map((_, i) => i + 1));
      resumed.close();
      second.child.kill('SIGTERM');
      await exited(second.child);
      expect(second.child.exitCode).toBe(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
