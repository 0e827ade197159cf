import { createHash, randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { StoreNotFoundError, StoreUnavailableError } from './errors.js';
import { asList, compact, compareConversations, matchesFeedback } from './order.js';
import * as lua from './redis-scripts.js';
import type {
  AuditEvent, Conversation, FeedbackEvent, Owner, OwnershipTransition, Store, StoredMessage, StoredUnderstanding,
} from './types.js';

export interface RedisStoreOptions {
  /** e.g. `redis://127.0.0.1:6379`. */
  url: string;
  /** Every key and channel starts with this (default `parley:`), so deployments and tests can share a server. */
  prefix?: string;
  /** How long opening waits for the server before failing. */
  connectTimeoutMs?: number;
  /** Connection errors after startup and errors thrown by pub/sub handlers (default: a process warning). */
  onError?: (err: unknown) => void;
}

type Client = ReturnType<typeof createClient>;
type Reply = unknown;

const BATCH = 500;

/** Key layout, one place. Conversation ids and customer ids are always the last part of a key. */
function keys(p: string) {
  return {
    conv: (id: string) => `${p}conv:${id}`,
    msgs: (id: string) => `${p}msgs:${id}`,      // hash messageId -> "<seq>|<json>"
    order: (id: string) => `${p}order:${id}`,    // list of message ids, index = seq - 1
    und: (id: string) => `${p}und:${id}`,        // hash messageId -> understanding json
    tr: (id: string) => `${p}tr:${id}`,          // list of transition json, oldest first
    owner: (o: string) => `${p}owner:${o}`,      // set of conversation ids
    customer: (c: string) => `${p}customer:${c}`,
    updated: `${p}updated`,                      // zset conversation id by updatedAt
    fb: `${p}fb`,                                // hash feedback id -> json (without review state)
    fbReview: `${p}fbreview`,                    // hash feedback id -> {review, reviewLabel, reviewedBy}
    fbTs: `${p}fbts`,                            // zset feedback id by ts
    fbConv: (id: string) => `${p}fbconv:${id}`,
    auditSeq: `${p}audit:seq`,
    audit: `${p}audit`,                          // stream
    // encodeURIComponent keeps ':' out of the namespace, so (ns, key) pairs never collide.
    kv: (ns: string, key: string) => `${p}kv:${encodeURIComponent(ns)}:${key}`,
    kvIndex: (ns: string) => `${p}kvidx:${encodeURIComponent(ns)}`,
    lock: (name: string) => `${p}lock:${name}`,
    channel: (name: string) => `${p}ch:${name}`,
  };
}

function fromPairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

function toConversation(h: Record<string, string>): Conversation {
  return compact({
    id: h.id,
    channel: h.channel as Conversation['channel'],
    customerId: h.customerId,
    owner: h.owner as Owner,
    agent: h.agent,
    priority: Number(h.priority),
    escalationReason: h.escalationReason,
    queuedAt: h.queuedAt === undefined ? undefined : Number(h.queuedAt),
    createdAt: Number(h.createdAt),
    updatedAt: Number(h.updatedAt),
    attributes: JSON.parse(h.attributes) as Record<string, string>,
    state: JSON.parse(h.state) as Record<string, unknown>,
  });
}

function decodeMessage(stored: string, understanding?: string | null): StoredMessage {
  const bar = stored.indexOf('|');
  const message = { ...(JSON.parse(stored.slice(bar + 1)) as object), seq: Number(stored.slice(0, bar)) } as StoredMessage;
  if (understanding) message.understanding = JSON.parse(understanding) as StoredUnderstanding;
  return message;
}

/**
 * Opens the Redis store: shared state for several server instances, pub/sub across them,
 * and a lock so only one instance retrains. Fails fast with a clear error when the server
 * cannot be reached. Durability is the server's: configure AOF (`appendfsync everysec` or
 * `always`) in production.
 *
 * @example
 * const store = await openRedisStore({ url: 'redis://127.0.0.1:6379', prefix: 'parley:' });
 */
export async function openRedisStore({
  url,
  prefix = 'parley:',
  connectTimeoutMs = 3000,
  onError = (err) => process.emitWarning(err instanceof Error ? err : new Error(String(err))),
}: RedisStoreOptions): Promise<Store> {
  const k = keys(prefix);
  let ready = false;
  const client: Client = createClient({
    url,
    socket: {
      connectTimeout: connectTimeoutMs,
      // Before the first connection, fail at once: a wrong URL should stop the server with
      // a clear message. Afterwards, keep reconnecting with a capped backoff.
      reconnectStrategy: (retries, cause) => (ready ? Math.min(100 * 2 ** retries, 2000) : cause),
    },
  });
  client.on('error', (err) => { if (ready) onError(err); });
  try {
    await client.connect();
    ready = true;
  } catch (err) {
    client.destroy();
    throw new StoreUnavailableError(
      `cannot reach Redis at ${url} (${(err as Error).message}); start Redis or fix the store URL`, { cause: err });
  }

  const shas = new Map<string, string>();
  /** EVALSHA with a fallback to EVAL the first time a server has not seen the script. */
  async function run(script: string, keyList: string[], args: Array<string | number>): Promise<Reply> {
    let sha = shas.get(script);
    if (!sha) shas.set(script, (sha = createHash('sha1').update(script).digest('hex')));
    const options = { keys: keyList, arguments: args.map(String) };
    try {
      return await client.evalSha(sha, options);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return client.eval(script, options);
    }
  }

  async function loadConversations(ids: string[]): Promise<Conversation[]> {
    const hashes = await Promise.all(ids.map((id) => client.hGetAll(k.conv(id))));
    return hashes.filter((h) => h && h.id !== undefined).map((h) => toConversation(h as Record<string, string>));
  }

  async function deleteConversation(id: string, before: number | undefined, dropFeedback: boolean): Promise<number> {
    return Number(await run(lua.DELETE_CONVERSATION, [k.conv(id)], [prefix, id, before ?? '', dropFeedback ? '1' : '0']));
  }

  let subscriber: Client | undefined;
  let subscriberReady: Promise<Client> | undefined;
  function getSubscriber(): Promise<Client> {
    subscriberReady ??= (async () => {
      subscriber = client.duplicate();
      subscriber.on('error', (err) => onError(err));
      await subscriber.connect();
      return subscriber;
    })();
    return subscriberReady;
  }

  let closed = false;

  /** One Lua step: duplicate check, owner check (unless `owner` is ''), seq and insert. */
  async function append(message: Omit<StoredMessage, 'seq'>, owner: Owner | ''): Promise<{ message: StoredMessage; duplicate: boolean } | undefined> {
    const { understanding, ...body } = message as StoredMessage;
    const c = message.conversationId;
    const [status, stored] = (await run(lua.APPEND_MESSAGE,
      [k.conv(c), k.msgs(c), k.order(c), k.und(c), k.updated],
      [message.id, JSON.stringify(body), Date.now(), c, understanding ? JSON.stringify(understanding) : '', owner])) as [number, string];
    if (status === -1) throw new StoreNotFoundError('conversation', c, 'call ensureConversation before appendMessage');
    if (status === 2) return undefined;
    if (status === 0) {
      return { message: decodeMessage(stored, await client.hGet(k.und(c), message.id)), duplicate: true };
    }
    return { message: { ...(message as StoredMessage), seq: decodeMessage(stored).seq }, duplicate: false };
  }

  const store: Store = {
    kind: 'redis',

    async ensureConversation(init) {
      const now = Date.now();
      const flat = (await run(lua.ENSURE_CONVERSATION,
        [k.conv(init.id), k.owner('bot'), k.customer(init.customerId), k.updated],
        [init.id, init.channel, init.customerId, now, JSON.stringify(init.attributes ?? {})])) as string[];
      return toConversation(fromPairs(flat));
    },

    async getConversation(id) {
      const [conversation] = await loadConversations([id]);
      return conversation;
    },

    async listConversations(filter = {}) {
      const owners = asList(filter.owner);
      let ids: string[];
      if (owners) {
        const sets = await Promise.all([...new Set(owners)].map((o) => client.sMembers(k.owner(o))));
        ids = sets.flat();
      } else if (filter.customerId !== undefined) {
        ids = await client.sMembers(k.customer(filter.customerId));
      } else {
        ids = await client.zRange(k.updated, 0, -1);
      }
      let list = await loadConversations(ids);
      // Re-check against the loaded record: an index may be a moment behind a concurrent change.
      if (owners) list = list.filter((c) => owners.includes(c.owner));
      if (filter.customerId !== undefined) list = list.filter((c) => c.customerId === filter.customerId);
      list.sort(compareConversations);
      return filter.limit === undefined ? list : list.slice(0, filter.limit);
    },

    async saveState(id, state, patch = {}) {
      const ok = await run(lua.SAVE_STATE, [k.conv(id), k.updated], [id, JSON.stringify(state), Date.now(),
        patch.priority ?? '', patch.attributes ? JSON.stringify(patch.attributes) : '']);
      if (Number(ok) !== 1) throw new StoreNotFoundError('conversation', id);
    },

    async appendMessage(message) {
      return (await append(message, ''))!;
    },

    async appendMessageIfOwner(message, owner) {
      return append(message, owner);
    },

    async setUnderstanding(conversationId, messageId, understanding) {
      const ok = await run(lua.SET_UNDERSTANDING, [k.msgs(conversationId), k.und(conversationId)],
        [messageId, JSON.stringify(understanding)]);
      if (Number(ok) !== 1) throw new StoreNotFoundError('message', `${conversationId}/${messageId}`);
    },

    async getMessage(conversationId, messageId) {
      const [stored, understanding] = await Promise.all([
        client.hGet(k.msgs(conversationId), messageId),
        client.hGet(k.und(conversationId), messageId),
      ]);
      return stored ? decodeMessage(stored, understanding) : undefined;
    },

    async listMessages(conversationId, options = {}) {
      const start = options.afterSeq ?? 0;
      if (options.limit !== undefined && options.limit <= 0) return [];
      const stop = options.limit === undefined ? -1 : start + options.limit - 1;
      const ids = await client.lRange(k.order(conversationId), start, stop);
      if (ids.length === 0) return [];
      const [stored, understanding] = await Promise.all([
        client.hmGet(k.msgs(conversationId), ids),
        client.hmGet(k.und(conversationId), ids),
      ]);
      const out: StoredMessage[] = [];
      stored.forEach((s, i) => { if (s) out.push(decodeMessage(s, understanding[i])); });
      return out;
    },

    async transition(t, expectAgent) {
      const id = t.conversationId;
      const ok = await run(lua.TRANSITION, [k.conv(id), k.owner(t.from), k.owner(t.to), k.tr(id), k.updated], [
        id, t.from, t.to, expectAgent === undefined ? '0' : '1', expectAgent ?? '', t.agent ?? t.by,
        t.priority ?? '', t.reason, t.ts, Date.now(), JSON.stringify(t),
      ]);
      return Number(ok) === 1;
    },

    async listTransitions(conversationId) {
      const list = await client.lRange(k.tr(conversationId), 0, -1);
      return list.map((s) => JSON.parse(s) as OwnershipTransition);
    },

    async deleteConversationsBefore(ts) {
      const ids = await client.zRangeByScore(k.updated, '-inf', `(${ts}`);
      let deleted = 0;
      for (const id of ids) deleted += await deleteConversation(id, ts, false);
      return deleted;
    },

    async deleteCustomer(customerId) {
      const ids = await client.sMembers(k.customer(customerId));
      let deleted = 0;
      for (const id of ids) deleted += await deleteConversation(id, undefined, true);
      return deleted;
    },

    async addFeedback(event) {
      const { review, reviewLabel, reviewedBy, ...body } = event;
      await run(lua.ADD_FEEDBACK, [k.fb, k.fbReview, k.fbTs, k.fbConv(event.conversationId)],
        [event.id, JSON.stringify(body), JSON.stringify({ review, reviewLabel, reviewedBy }), event.ts]);
    },

    async listFeedback(filter = {}) {
      const out: FeedbackEvent[] = [];
      const limit = filter.limit ?? Number.POSITIVE_INFINITY;
      if (limit <= 0) return out;
      // Walk the time index in batches (ties ordered by id, like SQLite) until `limit` match.
      for (let offset = 0; out.length < limit; offset += BATCH) {
        const ids = await client.zRangeByScore(k.fbTs, filter.since ?? '-inf', '+inf', { LIMIT: { offset, count: BATCH } });
        if (ids.length === 0) break;
        const [bodies, reviews] = await Promise.all([client.hmGet(k.fb, ids), client.hmGet(k.fbReview, ids)]);
        bodies.forEach((b, i) => {
          if (!b || out.length >= limit) return;
          const event = compact({ ...(JSON.parse(b) as FeedbackEvent), ...(JSON.parse(reviews[i] ?? '{}') as object) });
          if (matchesFeedback(event, filter)) out.push(event);
        });
        if (ids.length < BATCH) break;
      }
      return out;
    },

    async reviewFeedback(id, review, reviewedBy, reviewLabel) {
      return Number(await run(lua.REVIEW_FEEDBACK, [k.fb, k.fbReview],
        [id, JSON.stringify({ review, reviewedBy, reviewLabel })])) === 1;
    },

    async audit(event) {
      const { id: _ignored, ...rest } = event;
      await run(lua.ADD_AUDIT, [k.auditSeq, k.audit], [JSON.stringify({ ...rest, details: rest.details ?? {} })]);
    },

    async listAudit(filter = {}) {
      const out: AuditEvent[] = [];
      const limit = filter.limit ?? Number.POSITIVE_INFINITY;
      let end = '+';
      while (out.length < limit) {
        const entries = (await client.xRevRange(k.audit, end, '-', { COUNT: BATCH })) ?? [];
        for (const entry of entries) {
          const fields = entry.message as Record<string, string>;
          const event = { id: Number(fields.id), ...(JSON.parse(fields.event) as Omit<AuditEvent, 'id'>) };
          if (filter.subject !== undefined && event.subject !== filter.subject) continue;
          if (filter.action !== undefined && event.action !== filter.action) continue;
          if (out.length < limit) out.push(event);
        }
        if (entries.length < BATCH) break;
        end = `(${entries[entries.length - 1].id}`;
      }
      return out;
    },

    async get<T = unknown>(namespace: string, key: string) {
      const value = await client.get(k.kv(namespace, key));
      return value === null ? undefined : (JSON.parse(value) as T);
    },

    async set(namespace, key, value, ttlMs) {
      const payload = JSON.stringify(value ?? null);
      const expiresAt = ttlMs === undefined ? '+inf' : Date.now() + ttlMs;
      await client.multi()
        .set(k.kv(namespace, key), payload, ttlMs === undefined ? undefined : { PX: Math.max(1, Math.ceil(ttlMs)) })
        .zAdd(k.kvIndex(namespace), { score: expiresAt === '+inf' ? Number.POSITIVE_INFINITY : expiresAt, value: key })
        .exec();
    },

    async delete(namespace, key) {
      await client.multi().del(k.kv(namespace, key)).zRem(k.kvIndex(namespace), key).exec();
    },

    async list<T = unknown>(namespace: string) {
      const index = k.kvIndex(namespace);
      // The index only remembers which keys exist; the value keys' own TTL is authoritative.
      await client.zRemRangeByScore(index, '-inf', Date.now());
      const names = (await client.zRange(index, 0, -1)).sort();
      if (names.length === 0) return [];
      const values = await client.mGet(names.map((n) => k.kv(namespace, n)));
      const out: Array<{ key: string; value: T }> = [];
      names.forEach((key, i) => { const v = values[i]; if (v !== null) out.push({ key, value: JSON.parse(v) as T }); });
      return out;
    },

    async tryLock(name, ttlMs) {
      const token = randomUUID();
      const ok = await client.set(k.lock(name), token, { NX: true, PX: Math.max(1, Math.ceil(ttlMs)) });
      if (ok !== 'OK') return undefined;
      return async () => {
        if (!closed) await run(lua.RELEASE_LOCK, [k.lock(name)], [token]);
      };
    },

    async publish(channel, message) {
      await client.publish(k.channel(channel), JSON.stringify(message ?? null));
    },

    async subscribe(channel, handler) {
      const sub = await getSubscriber();
      const listener = (payload: string): void => {
        try {
          handler(JSON.parse(payload));
        } catch (err) {
          onError(err);
        }
      };
      await sub.subscribe(k.channel(channel), listener);
      return async () => {
        if (!closed) await sub.unsubscribe(k.channel(channel), listener);
      };
    },

    async ping() {
      if (closed || !client.isReady) return false;
      try {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('timeout'), 1000); });
        const reply = await Promise.race([client.ping(), timeout]);
        clearTimeout(timer);
        return reply === 'PONG';
      } catch {
        return false;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      if (subscriberReady) await subscriberReady.then((s) => s.close(), () => undefined);
      await client.close();
    },
  };
  return store;
}
