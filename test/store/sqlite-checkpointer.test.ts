import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/store/sqlite-checkpointer.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

let dir: string | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Stores 100 messages of 1 KB, one commit each: some 500 WAL pages, under SQLite's own checkpoint at 1,000. */
async function fill(s: Store): Promise<void> {
  await s.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
  for (let i = 0; i < 100; i++) {
    await s.appendMessage({ id: `m${i}`, conversationId: 'c1', channel: 'webchat', role: 'customer', from: 'u1', text: `message ${i} ${'x'.repeat(1000)}`, ts: i });
  }
}

/** A WAL database of one table in a fresh folder: its connection, an insert, and `total_changes()`. */
function walTable({ autocheckpoint }: { autocheckpoint?: number } = {}) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'parley-ckpt-'));
  const file = path.join(dir, 'p.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  if (autocheckpoint !== undefined) db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
  db.exec('CREATE TABLE t (x TEXT)');
  return { file, db, insert: db.prepare('INSERT INTO t VALUES (?)'), total: db.prepare('SELECT total_changes()').pluck() };
}

const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 20))) if (check()) return true;
  return check();
}

describe('SQLite background checkpoints', () => {
  it('copies committed pages into the database file from its own thread, while the store stays open', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'parley-ckpt-'));
    const file = path.join(dir, 'p.db');
    store = await openSqliteStore({ file, checkpointIntervalMs: 20 });
    const empty = size(file);
    await fill(store);
    expect(size(`${file}-wal`)).toBeGreaterThan(100_000); // the commits went to the WAL
    // Nothing on this thread checkpoints (fewer than 1,000 pages, and automatic ones are off):
    // the database file grows only if the background thread copies the pages over.
    expect(await until(() => size(file) > empty + 50_000)).toBe(true);
    expect((await store.listMessages('c1')).length).toBe(100);
  });

  it('keeps the WAL bounded under writes that never pause, where the thread alone lets it grow', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'parley-ckpt-'));
    const walAfter = async (walResetPages: number): Promise<number> => {
      const file = path.join(dir!, `w${walResetPages}.db`);
      const s = await openSqliteStore({ file, checkpointIntervalMs: 20, walResetPages });
      try {
        await s.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
        // Bursts of 20 writes each (one commit): never a pause for the thread to catch up.
        for (let i = 0; i < 300; i++) {
          await Promise.all(Array.from({ length: 20 }, (_, j) => s.appendMessage({ id: `m${i}-${j}`, conversationId: 'c1', channel: 'webchat', role: 'customer', from: 'u1', text: 'x'.repeat(1500), ts: i })));
        }
        return size(`${file}-wal`);
      } finally {
        await s.close();
      }
    };
    const bounded = await walAfter(100);
    const unbounded = await walAfter(0);
    // Some 6,000 messages of 1.5 KB: about 20 MB of WAL when it never starts over, against the
    // 100 pages of the bound and what the commits add while the thread holds the checkpoint.
    expect(unbounded).toBeGreaterThan(8_000_000);
    expect(bounded).toBeLessThan(unbounded / 4);
  });

  it('with inline checkpoints, leaves small WALs to SQLite (the file does not grow until close)', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'parley-ckpt-'));
    const file = path.join(dir, 'p.db');
    store = await openSqliteStore({ file, checkpoints: 'inline' });
    const empty = size(file);
    await fill(store);
    await new Promise((r) => setTimeout(r, 300));
    expect(size(file)).toBe(empty);
  });

  it('folds the WAL into the file on close, and a reopened store reads everything', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'parley-ckpt-'));
    const file = path.join(dir, 'p.db');
    const first = await openSqliteStore({ file, checkpointIntervalMs: 10_000 });
    await fill(first);
    await first.close();
    expect(existsSync(`${file}-wal`)).toBe(false); // the last connection closed cleanly
    store = await openSqliteStore({ file });
    expect((await store.listMessages('c1')).map((m) => m.id).slice(-2)).toEqual(['m98', 'm99']);
  });

  it('runs the thread only while there are writes: none before the first, it ends when idle and starts again with the next', async () => {
    const { file, db, insert, total } = walTable({ autocheckpoint: 0 });
    try {
      const checkpointer = startCheckpointer(file, { changes: () => total.get() as number, intervalMs: 20, idleStopMs: 300, onError: (e) => { throw e; }, onRunning: () => {} });
      try {
        await new Promise((r) => setTimeout(r, 200));
        expect(checkpointer.running).toBe(false);
        const empty = size(file);
        for (let i = 0; i < 200; i++) insert.run('x'.repeat(1000));
        expect(await until(() => checkpointer.running)).toBe(true);
        expect(await until(() => size(file) > empty + 100_000)).toBe(true); // the thread copied the pages
        expect(await until(() => !checkpointer.running)).toBe(true); // 300 ms without a write
        const before = size(file);
        for (let i = 0; i < 200; i++) insert.run('y'.repeat(1000));
        expect(await until(() => checkpointer.running)).toBe(true);
        expect(await until(() => size(file) > before + 100_000)).toBe(true);
      } finally {
        await checkpointer.close();
      }
      expect(checkpointer.running).toBe(false);
    } finally {
      db.close();
    }
  });

  it('leaves sparse writes to SQLite\'s own checkpoints: no thread for a few rows a second', async () => {
    const { file, db, insert, total } = walTable();
    try {
      const seen: boolean[] = [];
      const checkpointer = startCheckpointer(file, { changes: () => total.get() as number, intervalMs: 20, idleStopMs: 100, startRowsPerSecond: 30, onError: (e) => { throw e; }, onRunning: (r) => seen.push(r) });
      try {
        // Light traffic: 4 rows every 200 ms (20 a second), each write after a look.
        for (let i = 0; i < 10; i++) {
          for (let j = 0; j < 4; j++) insert.run('x');
          await new Promise((r) => setTimeout(r, 200));
          expect(checkpointer.running).toBe(false);
        }
        expect(seen).toEqual([]);
        // A burst above the rate starts it; once idle it ends, and says so.
        for (let i = 0; i < 40; i++) insert.run('y');
        expect(await until(() => checkpointer.running)).toBe(true);
        expect(await until(() => !checkpointer.running)).toBe(true);
        expect(seen).toEqual([true, false]);
      } finally {
        await checkpointer.close();
      }
    } finally {
      db.close();
    }
  });

  it('checkpoints inside commits, as SQLite does by itself, while no thread runs', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'parley-ckpt-'));
    const file = path.join(dir, 'p.db');
    // No look for 10 s: no thread during this test.
    store = await openSqliteStore({ file, checkpointIntervalMs: 10_000 });
    await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
    const before = size(file);
    // One group commit of some 5 MB (1,300 pages): past SQLite's own 1,000, so that commit
    // copies the WAL into the file itself.
    await Promise.all(Array.from({ length: 250 }, (_, i) => store!.appendMessage({ id: `m${i}`, conversationId: 'c1', channel: 'webchat', role: 'customer', from: 'u1', text: 'x'.repeat(20_000), ts: i })));
    expect(size(file)).toBeGreaterThan(before + 4_000_000);
  });

  it('reports a thread that cannot run, so that the store checkpoints again itself', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'parley-ckpt-'));
    const errors: unknown[] = [];
    let writes = 0;
    const stopped = new Promise<void>((resolve) => {
      startCheckpointer(path.join(dir!, 'p.db'), { changes: () => ++writes, intervalMs: 20, startRowsPerSecond: 1, driver: path.join(dir!, 'no-such-driver.js'), onError: (e) => errors.push(e), onRunning: (running) => { if (!running) resolve(); } });
    });
    await stopped;
    expect(String(errors[0])).toMatch(/the WAL checkpoint thread stopped: Cannot find module/);
  });
});
