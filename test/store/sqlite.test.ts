import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/sqlite-schema.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { storeContract } from './contract.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'parley-sqlite-'));
const files = new Map<Store, string>();
let counter = 0;

afterAll(() => rmSync(root, { recursive: true, force: true }));

storeContract(
  'sqlite',
  async (shareWith) => {
    const file = shareWith ? files.get(shareWith)! : path.join(root, `store-${++counter}`, 'parley.db');
    const store = await openSqliteStore({ file });
    files.set(store, file);
    return store;
  },
  async () => {
    for (const file of new Set(files.values())) rmSync(path.dirname(file), { recursive: true, force: true });
    files.clear();
  },
);

describe('sqlite store', () => {
  it('opens through openStore, in WAL mode, at the latest schema version', async () => {
    const file = path.join(root, 'open', 'parley.db');
    const store = await openStore({ kind: 'sqlite', file });
    expect(store.kind).toBe('sqlite');
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('upgrades a file of the first schema in place: conversations, messages and their order kept, appends go on from the last seq', async () => {
    const file = path.join(root, 'v1', 'parley.db');
    mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.exec(MIGRATIONS[0]);
    db.pragma('user_version = 1');
    const addConversation = db.prepare(`INSERT INTO conversations (id, channel, customer_id, owner, priority, created_at, updated_at, attributes, state, last_seq)
      VALUES (?, 'webchat', ?, 'bot', 0, 1, 1, '{"vip":"true"}', '{"lastHandledSeq":2}', ?)`);
    const addMessage = db.prepare('INSERT INTO messages (conversation_id, id, seq, body, understanding) VALUES (?, ?, ?, ?, ?)');
    const body = (conversationId: string, id: string, text: string, role = 'customer') =>
      JSON.stringify({ id, conversationId, channel: 'webchat', role, from: 'u', text, ts: 1 });
    addConversation.run('web:a', 'u-a', 2);
    addConversation.run('web:b', 'u-b', 1);
    addMessage.run('web:a', 'a1', 1, body('web:a', 'a1', 'where is my order'), '{"intent":"track_package"}');
    addMessage.run('web:b', 'b1', 1, body('web:b', 'b1', 'hi'), null);
    addMessage.run('web:a', 'a2', 2, body('web:a', 'a2', 'It is on its way.', 'bot'), null);
    addMessage.run('web:gone', 'g1', 1, body('web:gone', 'g1', 'orphan'), null); // its conversation was deleted
    db.close();

    const store = await openSqliteStore({ file });
    try {
      const a = await store.listMessages('web:a');
      expect(a.map((m) => [m.id, m.seq, m.text])).toEqual([['a1', 1, 'where is my order'], ['a2', 2, 'It is on its way.']]);
      expect(a[0].understanding).toEqual({ intent: 'track_package' });
      expect((await store.listMessages('web:b')).map((m) => m.id)).toEqual(['b1']);
      expect(await store.getConversation('web:a')).toMatchObject({ attributes: { vip: 'true' }, state: { lastHandledSeq: 2 } });
      expect(await store.getMessage('web:gone', 'g1')).toBeUndefined();
      const next = await store.appendMessage({ id: 'a3', conversationId: 'web:a', channel: 'webchat', role: 'customer', from: 'u', text: 'thanks', ts: 2 });
      expect(next.message.seq).toBe(3);
      expect((await store.appendMessage({ id: 'a1', conversationId: 'web:a', channel: 'webchat', role: 'customer', from: 'u', text: 'where is my order', ts: 1 })).duplicate).toBe(true);
    } finally {
      await store.close();
    }
    const upgraded = new Database(file, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(upgraded.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 4 });
    upgraded.close();
  });

  it('refuses a file written by a newer schema', async () => {
    const file = path.join(root, 'newer.db');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    await expect(openSqliteStore({ file })).rejects.toThrow(/newer than this Parley understands/);
  });

  it('loses no acknowledged message when the writing process is SIGKILLed', async () => {
    const file = path.join(root, 'durability', 'parley.db');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'durability-child.ts'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: string[] = [];
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited early: ${code}`))));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        acked.push(...lines.filter(Boolean));
        // Kill mid-stream, while appends are in flight, well after the first few hundred.
        if (acked.length >= 300 && !child.killed) child.kill('SIGKILL');
      });
    });
    expect(acked.length).toBeGreaterThanOrEqual(300);

    const store = await openSqliteStore({ file });
    try {
      const stored = await store.listMessages('durable');
      const ids = new Set(stored.map((m) => m.id));
      const missing = acked.filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
      expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
    } finally {
      await store.close();
    }
  });
});
