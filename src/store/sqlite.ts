import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreNotFoundError, StoreUnavailableError } from './errors.js';
import { createLocalPubSub } from './local-pubsub.js';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
import { groupCommit } from './sqlite-group-commit.js';
import { asList, compact } from './order.js';
import { migrate } from './sqlite-schema.js';
import type {
  AuditEvent, Conversation, FeedbackEvent, Owner, OwnershipTransition, Store, StoredMessage, StoredUnderstanding,
} from './types.js';

export interface SqliteStoreOptions {
  /** Database file; its folder is created if missing. `':memory:'` works for throwaway use. */
  file: string;
  /**
   * `normal` (default): WAL commits reach the OS before the promise resolves, so a crashed
   * or SIGKILLed process loses nothing acknowledged; a power cut may lose the last commits
   * (never corrupts). `full`: also fsync every commit, surviving power loss at the price
   * of one disk flush per write.
   */
  synchronous?: 'normal' | 'full';
  /** How long a write waits for another process holding the file's write lock. */
  busyTimeoutMs?: number;
  /**
   * `background` (default for a file): WAL checkpoints run on a thread of their own while
   * there are writes (see sqlite-checkpointer.ts), so no commit waits for one. `inline`: SQLite's automatic
   * checkpoints, inside the commit that crosses 1,000 WAL pages.
   */
  checkpoints?: 'background' | 'inline';
  /**
   * SQLite's page cache, in MB (default 4; SQLite's own default is 2). Pages it does not hold
   * are read from the OS's file cache, a copy of a few microseconds. Measured with
   * `npm run bench:server` (1,000 live conversations), 4 MB against 16 MB: 3,325 against
   * 3,042 messages/s and 369 against 407 µs of CPU per message (mean of four runs each), and
   * 212 against 227 MB RSS with 10,000 idle connections after the load.
   */
  cacheMb?: number;
  /** How often the background thread checkpoints (default 200 ms). */
  checkpointIntervalMs?: number;
  /** The background thread ends after this long without a write, and starts again with the next (default 2 s). */
  checkpointIdleStopMs?: number;
  /**
   * With background checkpoints, the WAL pages (4 KB each) after which the server's own
   * connection checkpoints in a commit too (default 25,000: 100 MB; 0 never). Under writes
   * that never pause, the thread's checkpoints never catch up with the last commit, and
   * only a checkpoint that does lets SQLite start the WAL over: without this the file grew
   * by about 60 MB a second under the server benchmark's load, for as long as the load
   * lasted. The thread has copied all but its last 200 ms, so this checkpoint copies only
   * those, but on the server's thread, fsyncs included: at 10,000 pages it cost 6% of the
   * benchmark's throughput and 15% on its p99 (six runs each, alternating), where each
   * burst of 5,000 messages writes 65 MB of WAL; at 25,000 it seldom runs there.
   */
  walResetPages?: number;
  /** Errors thrown by pub/sub handlers and failed background checkpoints end up here (default: a process warning). */
  onError?: (err: unknown) => void;
}

interface ConversationRow {
  id: string; channel: string; customer_id: string; owner: string; agent: string | null; priority: number;
  escalation_reason: string | null; queued_at: number | null; created_at: number; updated_at: number;
  attributes: string; state: string;
}
interface MessageRow { seq: number; body: string; understanding: string | null }
interface FeedbackRow { body: string; review: string; review_label: string | null; reviewed_by: string | null }
interface AuditRow { id: number; ts: number; actor: string; action: string; subject: string; details: string }

const ORDER = 'ORDER BY priority DESC, queued_at IS NULL, queued_at ASC, created_at ASC, id ASC';

function toConversation(row: ConversationRow): Conversation {
  return compact({
    id: row.id,
    channel: row.channel as Conversation['channel'],
    customerId: row.customer_id,
    owner: row.owner as Owner,
    agent: row.agent,
    priority: row.priority,
    escalationReason: row.escalation_reason,
    queuedAt: row.queued_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    state: JSON.parse(row.state) as Record<string, unknown>,
  }) as Conversation;
}

function toMessage(row: MessageRow): StoredMessage {
  const message = { ...(JSON.parse(row.body) as Omit<StoredMessage, 'seq'>), seq: row.seq } as StoredMessage;
  if (row.understanding) message.understanding = JSON.parse(row.understanding) as StoredUnderstanding;
  return message;
}

function toFeedback(row: FeedbackRow): FeedbackEvent {
  return compact({
    ...(JSON.parse(row.body) as FeedbackEvent),
    review: row.review as FeedbackEvent['review'],
    reviewLabel: row.review_label,
    reviewedBy: row.reviewed_by,
  }) as FeedbackEvent;
}

/**
 * Opens (and creates or migrates) the embedded SQLite store: one file, no service to run.
 * Single server instance: pub/sub is in-process. Several processes may share the file
 * (CLI next to the server): writes are serialised by SQLite, and the lock table makes
 * `tryLock` exclusive across them.
 *
 * @example
 * const store = await openSqliteStore({ file: 'data/parley.db' });
 * await store.ensureConversation({ id: 'c1', channel: 'webchat', customerId: 'u1' });
 */
export async function openSqliteStore({
  file,
  synchronous = 'normal',
  busyTimeoutMs = 5000,
  checkpoints = 'background',
  checkpointIntervalMs,
  checkpointIdleStopMs,
  walResetPages = 25_000,
  cacheMb = 4,
  onError = (err) => process.emitWarning(err instanceof Error ? err : new Error(String(err))),
}: SqliteStoreOptions): Promise<Store> {
  let db: Database.Database;
  let checkpointer: Checkpointer | undefined;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma(`cache_size = -${Math.round(cacheMb * 1024)}`); // negative: in KiB
    migrate(db);
    if (checkpoints === 'background' && file !== ':memory:') {
      const total = db.prepare('SELECT total_changes()').pluck();
      checkpointer = startCheckpointer(path.resolve(file), {
        changes: () => total.get() as number,
        onError,
        // While the thread runs, SQLite's own checkpoint stays on only rarely, as the WAL's
        // bound (see `walResetPages`); without it (light traffic, or the thread failed),
        // SQLite's own checkpoints do the work (inside commits, every 1,000 pages).
        onRunning: (running) => { if (!closed) db.pragma(`wal_autocheckpoint = ${running ? walResetPages : 1000}`); },
        ...(checkpointIntervalMs ? { intervalMs: checkpointIntervalMs } : {}),
        ...(checkpointIdleStopMs ? { idleStopMs: checkpointIdleStopMs } : {}),
      });
    }
  } catch (err) {
    throw new StoreUnavailableError(`cannot open SQLite store '${file}': ${(err as Error).message}`, { cause: err });
  }

  const q = {
    insertConversation: db.prepare(`INSERT OR IGNORE INTO conversations
      (id, channel, customer_id, owner, priority, created_at, updated_at, attributes, state)
      VALUES (?, ?, ?, 'bot', 0, ?, ?, ?, '{}')`),
    getConversation: db.prepare('SELECT * FROM conversations WHERE id = ?'),
    saveState: db.prepare(`UPDATE conversations SET state = ?, updated_at = ?,
      priority = COALESCE(?, priority), attributes = COALESCE(?, attributes) WHERE id = ?`),
    // Messages name their conversation by its number (`n`; see migration 2).
    ownerOf: db.prepare('SELECT owner FROM conversations WHERE id = ?'),
    findMessage: db.prepare(`SELECT seq, body, understanding FROM messages
      WHERE conversation = (SELECT n FROM conversations WHERE id = ?) AND id = ?`),
    nextSeq: db.prepare('UPDATE conversations SET last_seq = last_seq + 1, updated_at = ? WHERE id = ? RETURNING last_seq, n'),
    insertMessage: db.prepare('INSERT INTO messages (conversation, id, seq, body, understanding) VALUES (?, ?, ?, ?, ?)'),
    setUnderstanding: db.prepare(`UPDATE messages SET understanding = ?
      WHERE conversation = (SELECT n FROM conversations WHERE id = ?) AND id = ?`),
    listMessages: db.prepare(`SELECT seq, body, understanding FROM messages
      WHERE conversation = (SELECT n FROM conversations WHERE id = ?) AND seq > ? ORDER BY seq LIMIT ?`),
    transition: db.prepare(`UPDATE conversations SET owner = @to, agent = @agent, updated_at = @now,
      priority = COALESCE(@priority, priority),
      escalation_reason = CASE @to WHEN 'queued' THEN @reason WHEN 'bot' THEN NULL ELSE escalation_reason END,
      queued_at = CASE @to WHEN 'queued' THEN @ts WHEN 'bot' THEN NULL ELSE queued_at END
      WHERE id = @id AND owner = @from AND (@checkAgent = 0 OR agent IS @expectAgent)`),
    insertTransition: db.prepare('INSERT INTO transitions (conversation_id, body) VALUES (?, ?)'),
    listTransitions: db.prepare('SELECT body FROM transitions WHERE conversation_id = ? ORDER BY n'),
    idsBefore: db.prepare('SELECT id FROM conversations WHERE updated_at < ?'),
    idsOfCustomer: db.prepare('SELECT id FROM conversations WHERE customer_id = ?'),
    deleteConversation: db.prepare('DELETE FROM conversations WHERE id = ?'),
    deleteMessages: db.prepare('DELETE FROM messages WHERE conversation = (SELECT n FROM conversations WHERE id = ?)'),
    deleteTransitions: db.prepare('DELETE FROM transitions WHERE conversation_id = ?'),
    deleteFeedbackOf: db.prepare('DELETE FROM feedback WHERE conversation_id = ?'),
    insertFeedback: db.prepare(`INSERT OR IGNORE INTO feedback
      (id, kind, conversation_id, ts, review, review_label, reviewed_by, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    reviewFeedback: db.prepare('UPDATE feedback SET review = ?, reviewed_by = ?, review_label = ? WHERE id = ?'),
    insertAudit: db.prepare('INSERT INTO audit (ts, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)'),
    kvGet: db.prepare('SELECT value FROM kv WHERE namespace = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)'),
    kvSet: db.prepare('INSERT OR REPLACE INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)'),
    kvDelete: db.prepare('DELETE FROM kv WHERE namespace = ? AND key = ?'),
    kvList: db.prepare('SELECT key, value FROM kv WHERE namespace = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY key'),
    kvPurge: db.prepare('DELETE FROM kv WHERE namespace = ? AND expires_at <= ?'),
    lockPurge: db.prepare('DELETE FROM locks WHERE name = ? AND expires_at <= ?'),
    lockTake: db.prepare('INSERT OR IGNORE INTO locks (name, token, expires_at) VALUES (?, ?, ?)'),
    lockRelease: db.prepare('DELETE FROM locks WHERE name = ? AND token = ?'),
  };

  // Filtered lists build their SQL from the filter's shape; a handful of shapes exist, so
  // cache their prepared statements instead of re-preparing on every call.
  const shapes = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let statement = shapes.get(sql);
    if (!statement) shapes.set(sql, (statement = db.prepare(sql)));
    return statement;
  };

  const getConversation = (id: string): Conversation | undefined => {
    const row = q.getConversation.get(id) as ConversationRow | undefined;
    return row && toConversation(row);
  };

  // The seq counter bump and the insert commit together (in the group's IMMEDIATE
  // transaction), so seq stays gap-free even with another process writing the same file.
  const append = db.transaction((message: Omit<StoredMessage, 'seq'>, owner?: Owner): { message: StoredMessage; duplicate: boolean } | undefined => {
    const existing = q.findMessage.get(message.conversationId, message.id) as MessageRow | undefined;
    if (existing) return { message: toMessage(existing), duplicate: true };
    if (owner !== undefined) {
      const current = q.ownerOf.get(message.conversationId) as { owner: string } | undefined;
      if (current && current.owner !== owner) return undefined;
    }
    const bumped = q.nextSeq.get(Date.now(), message.conversationId) as { last_seq: number; n: number } | undefined;
    if (!bumped) throw new StoreNotFoundError('conversation', message.conversationId, 'call ensureConversation before appendMessage');
    const { understanding, ...body } = message as StoredMessage;
    q.insertMessage.run(bumped.n, message.id, bumped.last_seq, JSON.stringify(body),
      understanding ? JSON.stringify(understanding) : null);
    return { message: { ...(message as StoredMessage), seq: bumped.last_seq }, duplicate: false };
  });

  const transition = db.transaction((t: OwnershipTransition, expectAgent: string | undefined): boolean => {
    const agent = t.to === 'agent' ? (t.agent ?? t.by) : null;
    const changed = q.transition.run({
      id: t.conversationId, from: t.from, to: t.to, agent, now: Date.now(), priority: t.priority ?? null,
      reason: t.reason, ts: t.ts, checkAgent: expectAgent === undefined ? 0 : 1, expectAgent: expectAgent ?? null,
    }).changes;
    if (changed === 0) return false;
    q.insertTransition.run(t.conversationId, JSON.stringify(t));
    return true;
  });

  const deleteConversations = db.transaction((ids: string[], withFeedback: boolean): number => {
    for (const id of ids) {
      q.deleteMessages.run(id);
      q.deleteTransitions.run(id);
      if (withFeedback) q.deleteFeedbackOf.run(id);
      q.deleteConversation.run(id);
    }
    return ids.length;
  });

  const takeLock = db.transaction((name: string, token: string, ttlMs: number): boolean => {
    const now = Date.now();
    q.lockPurge.run(name, now);
    return q.lockTake.run(name, token, now + ttlMs).changes === 1;
  });

  // The writes of a turn (and of every turn running at the same time) commit together.
  const group = groupCommit(db);
  const pubsub = createLocalPubSub(onError);
  let closed = false;

  const store: Store = {
    kind: 'sqlite',

    // Writes in the group must be atomic on their own (see sqlite-group-commit.ts): one
    // statement each, or a db.transaction (append, transition) when they take several.
    async ensureConversation(init) {
      return group.write(() => {
        const now = Date.now();
        q.insertConversation.run(init.id, init.channel, init.customerId, now, now, JSON.stringify(init.attributes ?? {}));
        return getConversation(init.id)!;
      });
    },

    async getConversation(id) {
      // Every turn starts with this read: in the group's transaction it costs no read
      // transaction of its own. bench:server, alternating, three runs each: 3,397 against
      // 3,168 msg/s, p99 468 against 502 ms.
      return group.read(() => getConversation(id));
    },

    async listConversations(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      const owners = asList(filter.owner);
      if (owners) {
        if (owners.length === 0) return [];
        where.push(`owner IN (${owners.map(() => '?').join(', ')})`);
        params.push(...owners);
      }
      if (filter.customerId !== undefined) {
        where.push('customer_id = ?');
        params.push(filter.customerId);
      }
      const sql = `SELECT * FROM conversations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${ORDER} LIMIT ?`;
      const rows = prepared(sql).all(...params, filter.limit ?? -1) as ConversationRow[];
      return rows.map(toConversation);
    },

    async saveState(id, state, patch = {}) {
      const json = JSON.stringify(state);
      const attributes = patch.attributes ? JSON.stringify(patch.attributes) : null;
      return group.write(() => {
        const changed = q.saveState.run(json, Date.now(), patch.priority ?? null, attributes, id).changes;
        if (changed === 0) throw new StoreNotFoundError('conversation', id);
      });
    },

    async appendMessage(message) {
      // Inside the group's IMMEDIATE transaction: the seq bump and the insert commit together.
      return group.write(() => append(message)!);
    },

    async appendMessageIfOwner(message, owner) {
      return group.write(() => append(message, owner));
    },

    async setUnderstanding(conversationId, messageId, understanding) {
      const json = JSON.stringify(understanding);
      return group.write(() => {
        const changed = q.setUnderstanding.run(json, conversationId, messageId).changes;
        if (changed === 0) throw new StoreNotFoundError('message', `${conversationId}/${messageId}`);
      });
    },

    async getMessage(conversationId, messageId) {
      const row = q.findMessage.get(conversationId, messageId) as MessageRow | undefined;
      return row && toMessage(row);
    },

    async listMessages(conversationId, options = {}) {
      const rows = q.listMessages.all(conversationId, options.afterSeq ?? 0, options.limit ?? -1) as MessageRow[];
      return rows.map(toMessage);
    },

    async transition(t, expectAgent) {
      // Compare-and-set inside the group: it reads the owner as committed by the writes before it.
      return group.write(() => transition(t, expectAgent));
    },

    async listTransitions(conversationId) {
      const rows = q.listTransitions.all(conversationId) as Array<{ body: string }>;
      return rows.map((r) => JSON.parse(r.body) as OwnershipTransition);
    },

    async deleteConversationsBefore(ts) {
      return db.transaction(() => {
        const ids = (q.idsBefore.all(ts) as Array<{ id: string }>).map((r) => r.id);
        return deleteConversations(ids, false);
      }).immediate();
    },

    async deleteCustomer(customerId) {
      return db.transaction(() => {
        const ids = (q.idsOfCustomer.all(customerId) as Array<{ id: string }>).map((r) => r.id);
        return deleteConversations(ids, true);
      }).immediate();
    },

    async addFeedback(event) {
      const { review, reviewLabel, reviewedBy, ...body } = event;
      const json = JSON.stringify(body);
      await group.write(() => q.insertFeedback.run(event.id, event.kind, event.conversationId, event.ts, review, reviewLabel ?? null, reviewedBy ?? null, json));
    },

    async listFeedback(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      const kinds = asList(filter.kind);
      const reviews = asList(filter.review);
      if (kinds) {
        if (kinds.length === 0) return [];
        where.push(`kind IN (${kinds.map(() => '?').join(', ')})`);
        params.push(...kinds);
      }
      if (reviews) {
        if (reviews.length === 0) return [];
        where.push(`review IN (${reviews.map(() => '?').join(', ')})`);
        params.push(...reviews);
      }
      if (filter.since !== undefined) {
        where.push('ts >= ?');
        params.push(filter.since);
      }
      const sql = `SELECT body, review, review_label, reviewed_by FROM feedback
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts, id LIMIT ?`;
      return (prepared(sql).all(...params, filter.limit ?? -1) as FeedbackRow[]).map(toFeedback);
    },

    async reviewFeedback(id, review, reviewedBy, reviewLabel) {
      return q.reviewFeedback.run(review, reviewedBy, reviewLabel ?? null, id).changes === 1;
    },

    async audit(event) {
      const details = JSON.stringify(event.details ?? {});
      await group.write(() => q.insertAudit.run(event.ts, event.actor, event.action, event.subject, details));
    },

    async listAudit(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.subject !== undefined) { where.push('subject = ?'); params.push(filter.subject); }
      if (filter.action !== undefined) { where.push('action = ?'); params.push(filter.action); }
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return (prepared(sql).all(...params, filter.limit ?? -1) as AuditRow[]).map((r): AuditEvent => ({
        id: r.id, ts: r.ts, actor: r.actor, action: r.action, subject: r.subject,
        details: JSON.parse(r.details) as Record<string, unknown>,
      }));
    },

    async get<T = unknown>(namespace: string, key: string) {
      const row = q.kvGet.get(namespace, key, Date.now()) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : undefined;
    },

    async set(namespace, key, value, ttlMs) {
      q.kvSet.run(namespace, key, JSON.stringify(value ?? null), ttlMs === undefined ? null : Date.now() + ttlMs);
    },

    async delete(namespace, key) {
      q.kvDelete.run(namespace, key);
    },

    async list<T = unknown>(namespace: string) {
      const now = Date.now();
      q.kvPurge.run(namespace, now);
      const rows = q.kvList.all(namespace, now) as Array<{ key: string; value: string }>;
      return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as T }));
    },

    async tryLock(name, ttlMs) {
      const token = randomUUID();
      if (!takeLock.immediate(name, token, ttlMs)) return undefined;
      return async () => {
        // Deleting by token: a holder whose lease expired cannot free the next holder's lock.
        if (!closed) q.lockRelease.run(name, token);
      };
    },

    publish: pubsub.publish,
    subscribe: pubsub.subscribe,

    async ping() {
      if (closed) return false;
      try {
        prepared('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      group.flush();
      pubsub.closeAll();
      // The checkpointer first: the last connection to close folds the WAL into the file.
      await checkpointer?.close();
      db.close();
    },
  };
  return store;
}
