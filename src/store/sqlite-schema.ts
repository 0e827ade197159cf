import type Database from 'better-sqlite3';

/**
 * SQLite schema, as ordered migrations. `PRAGMA user_version` records how many have run;
 * opening a file runs the missing ones in one transaction, so an older file is upgraded in
 * place and a newer one (written by a later Parley) is refused rather than misread.
 *
 * Whole records that the store never queries inside (message bodies, understanding,
 * engine state, attributes, feedback, audit details) are JSON text columns; anything a
 * query filters or sorts on is a real column with an index.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    agent TEXT,
    priority REAL NOT NULL DEFAULT 0,
    escalation_reason TEXT,
    queued_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT '{}',
    last_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX conversations_owner ON conversations (owner);
  CREATE INDEX conversations_customer ON conversations (customer_id);
  CREATE INDEX conversations_updated ON conversations (updated_at);

  CREATE TABLE messages (
    conversation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    understanding TEXT,
    PRIMARY KEY (conversation_id, id),
    UNIQUE (conversation_id, seq)
  );

  CREATE TABLE transitions (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX transitions_conversation ON transitions (conversation_id, n);

  CREATE TABLE feedback (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    review TEXT NOT NULL,
    review_label TEXT,
    reviewed_by TEXT,
    body TEXT NOT NULL
  );
  CREATE INDEX feedback_ts ON feedback (ts, id);
  CREATE INDEX feedback_conversation ON feedback (conversation_id);

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL
  );
  CREATE INDEX audit_subject ON audit (subject, id);

  CREATE TABLE kv (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (namespace, key)
  );

  CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
];

/**
 * Brings `db` to the latest schema version.
 *
 * @example migrate(new Database('parley.db')) // user_version 0 -> 1
 */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `SQLite file has schema version ${current}, newer than this Parley understands (${MIGRATIONS.length}); upgrade Parley or use another file`,
    );
  }
  if (current === MIGRATIONS.length) return;
  db.transaction(() => {
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
