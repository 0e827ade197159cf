import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileServer } from '../../scripts/compile-server.js';
import { TestClient } from '../channels/webchat/ws-client.js';
import { demoBot, repoRoot } from '../bot/helpers.js';
import { exited, killChildren, serve } from './child-server.js';

afterAll(killChildren);

/**
 * The way to run the server in production: `npm run build`, then `bin/parley-compiled.js`,
 * with no TypeScript loader in the process. Built here from the current sources, so the
 * compiled path cannot go stale unnoticed.
 */
describe('the compiled build', () => {
  beforeAll(async () => {
    await demoBot();
    const built = compileServer(repoRoot);
    expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);
  }, 120_000);

  it('serves the bot: ready, answers a message, collects its garbage once quiet, stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-compiled-'));
    try {
      const { child, url } = await serve(dataDir, 'bin/parley-compiled.js', { LOG_LEVEL: 'debug', IDLE_GC_MS: '300' });
      let logs = '';
      child.stdout!.on('data', (d) => (logs += d));
      // Started as `npm start` starts it: node itself, with the memory flags of the bin's first line.
      const argv = (await readFile(`/proc/${child.pid}/cmdline`, 'utf8')).split('\0');
      expect(path.basename(argv[0])).toBe('node');
      expect(argv).toEqual(expect.arrayContaining(['--max-semi-space-size=4', '--heap-growing-percent=100', '--expose-gc']));
      // And with the environment setting of that line: glibc's malloc kept to two arenas.
      expect((await readFile(`/proc/${child.pid}/environ`, 'utf8')).split('\0')).toContain('MALLOC_ARENA_MAX=2');
      const ready = await (await fetch(`${url}/readyz`)).json();
      expect(ready).toMatchObject({ status: 'ready', store: true });
      const client = await TestClient.connect(`${url.replace('http', 'ws')}/chat`);
      client.send({ type: 'hello' });
      await client.next('welcome');
      client.send({ type: 'message', clientId: 'c-1', text: 'where is my order' });
      await client.next('ack', (a) => a.clientId === 'c-1');
      const reply = await client.next('message', (m) => m.role === 'bot', 0, 10_000);
      expect(reply.text).toMatch(/order/i);
      // 300 ms after the last message, the server collects (node's gc, exposed by the bin's flags).
      for (let i = 0; i < 100 && !logs.includes('collected garbage while idle'); i++) await new Promise((r) => setTimeout(r, 50));
      const collected = logs.split('\n').filter((line) => line.includes('collected garbage while idle')).map((line) => JSON.parse(line) as { heapMb: number[] });
      expect(collected).toHaveLength(1);
      expect(collected[0].heapMb[1]).toBeLessThanOrEqual(collected[0].heapMb[0]);
      client.close();
      child.kill('SIGTERM');
      await exited(child);
      expect(child.exitCode).toBe(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the sources\' bin starts node with the same flags as the compiled one', async () => {
    const firstLine = async (bin: string) => (await readFile(path.join(repoRoot, bin), 'utf8')).split('\n')[0];
    expect(await firstLine('bin/parley.js')).toBe(await firstLine('bin/parley-compiled.js'));
  });
});
