import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/store/sqlite-group-commit.js';

/** A WAL database file and a second connection to it, the way another process would see it. */
function files() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-group-'));
  const file = path.join(dir, 'g.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const other = new Database(file, { readonly: true });
  return { db, other, close: () => { other.close(); db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('SQLite group commit', () => {
  it('commits the writes of one event-loop turn together, each resolved only once another connection can read it', async () => {
    const { db, other, close } = files();
    cleanup = close;
    const group = groupCommit(db);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const count = other.prepare('SELECT count(*) AS n FROM t').pluck();
    // A commit bumps the other connection's data_version once.
    const version = other.prepare('PRAGMA data_version').pluck();
    const before = version.get() as number;
    const writes = Array.from({ length: 50 }, (_, i) => group.write(() => insert.run(`k${i}`, i)));
    expect(count.get()).toBe(0); // nothing is committed while the turn is still running
    const first = await writes[0];
    expect(first.changes).toBe(1);
    expect(count.get()).toBe(50); // resolved means committed, for everyone
    await Promise.all(writes);
    expect((version.get() as number) - before).toBe(1);
  });

  it('rejects a failing write alone and rolls back what it did; the rest of its group commits', async () => {
    const { db, other, close } = files();
    cleanup = close;
    const group = groupCommit(db);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const twoThenFail = db.transaction(() => {
      insert.run('partial', 1);
      insert.run('a', 2); // duplicate key: the savepoint takes 'partial' back too
    });
    const results = await Promise.allSettled([
      group.write(() => insert.run('a', 1)),
      group.write(() => twoThenFail()),
      group.write(() => insert.run('a', 3)),
      group.write(() => insert.run('b', 4)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(other.prepare('SELECT k, v FROM t ORDER BY k').all()).toEqual([{ k: 'a', v: 1 }, { k: 'b', v: 4 }]);
  });

  it('commits a full group on the spot: a burst becomes several commits, in request order', async () => {
    const { db, other, close } = files();
    cleanup = close;
    const group = groupCommit(db, { maxWrites: 20 });
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const count = other.prepare('SELECT count(*) AS n FROM t').pluck();
    const writes = Array.from({ length: 50 }, (_, i) => group.write(() => insert.run(`k${String(i).padStart(2, '0')}`, i)));
    expect(count.get()).toBe(40); // two full groups committed while the burst was still coming in
    await Promise.all(writes);
    expect(count.get()).toBe(50);
    expect(other.prepare('SELECT v FROM t ORDER BY k').pluck().all()).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('flushes what is pending on demand (before the database closes)', async () => {
    const { db, other, close } = files();
    cleanup = close;
    const group = groupCommit(db);
    const pending = group.write(() => db.prepare("INSERT INTO t (k, v) VALUES ('x', 1)").run());
    group.flush();
    expect(other.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
    await pending;
  });
});
