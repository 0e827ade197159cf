import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
