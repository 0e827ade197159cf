import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestClient } from '../channels/webchat/ws-client.js';
import { demoBot, intentsDir, modelsDir, repoRoot } from '../bot/helpers.js';

const children: ChildProcess[] = [];

/** Starts `parley serve` as a real child process and resolves with its URL once it listens. */
async function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'serve'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PARLEY_DATA_DIR: dataDir, PARLEY_MODELS_DIR: modelsDir, PARLEY_INTENTS_DIR: intentsDir, LOG_LEVEL: 'warn', MODELS_RELOAD_MS: '0', SESSION_SECRET: 'durability-test-secret-0123456789' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /parley listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}${err}`)));
  });
  return { child, url };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

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
