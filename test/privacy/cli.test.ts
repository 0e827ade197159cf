import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openStore } from '../../src/store/index.js';

let dir: string;

/** Runs the real CLI in process (spawning one node per call costs seconds) and captures its output. */
async function parley(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await main(['node', 'parley', ...args]);
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout: out.join(''), stderr: err.join(''), code };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-cli-privacy-'));
  process.env.PARLEY_DATA_DIR = dir;
  const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'parley.db') });
  await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'alice' });
  await store.appendMessage({ id: 'm1', conversationId: 'c1', channel: 'webchat', role: 'customer', from: 'alice', text: 'where is my order', ts: 1 });
  await store.ensureConversation({ id: 'c2', channel: 'webchat', customerId: 'bob' });
  await store.close();
});
afterAll(() => {
  delete process.env.PARLEY_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('parley privacy', () => {
  it('exports a customer to a file, deletes them, and applies retention', async () => {
    const out = path.join(dir, 'alice.json');
    const exported = await parley('privacy', 'export', 'alice', '--out', out);
    expect(exported.code).toBe(0);
    const data = JSON.parse(readFileSync(out, 'utf8'));
    expect(data.conversations[0].messages[0].text).toBe('where is my order');

    const deleted = await parley('privacy', 'delete', 'alice');
    expect(deleted.stdout).toBe('deleted 1 conversation(s) of alice\n');
    expect(JSON.parse((await parley('privacy', 'export', 'alice')).stdout).conversations).toEqual([]);
    expect(JSON.parse((await parley('privacy', 'export', 'bob')).stdout).conversations).toHaveLength(1);

    const kept = await parley('privacy', 'retention', '--days', '30');
    expect(kept.stdout).toMatch(/^deleted 0 conversation\(s\) last updated before /);
  });

  it('rejects a bad --days with one line and exit code 2', async () => {
    const bad = await parley('privacy', 'retention', '--days', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('parley: --days must be a positive number of days, got "soon"\n');
  });

  it('says where it looked when there is no store, without creating one', async () => {
    process.env.PARLEY_DATA_DIR = path.join(dir, 'missing');
    try {
      const res = await parley('privacy', 'export', 'x');
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/^parley: no data store at .*missing.parley\.db/);
    } finally {
      process.env.PARLEY_DATA_DIR = dir;
    }
  });
});
