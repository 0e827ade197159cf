import { createHash } from 'node:crypto';
import { advanceSnapshot, decide, defaultPolicy, type Decision, type EscalationPolicy } from '../escalation/index.js';
import { StoreNotFoundError } from '../store/errors.js';
import type { Conversation, Owner, OwnershipTransition, PubSub, StoredMessage, Store } from '../store/types.js';
import { recordFeedback } from '../training/feedback-log.js';
import { Activity, type Role } from './activity.js';
import type { Engine, EngineEvents } from './engine-api.js';
import { EventHub } from './events.js';
import type { ModelsHolder } from './models.js';
import { Ownership, OwnershipError } from './ownership.js';
import { respond, type Reply, type ResponseCatalog } from './responder.js';
import { RecentMap } from './recent-map.js';
import { relayEvents, type RelayOptions } from './relay.js';
import { readState, WrittenStates, type EngineState } from './state.js';
import { TurnPump } from './turn-pump.js';
import { TurnQueue } from './turn-queue.js';
import { explainUnderstanding, understandAsync, type Understanding } from './understand.js';

/** The pino-shaped logger the engine writes to. It never receives message text at info level. */
export interface EngineLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Hooks for metrics: called once per finished turn and per stored message. */
export interface EngineObserver {
  turn?(info: { conversationId: string; ms: number; action: TurnOutcome['action']; trigger?: string }): void;
  message?(role: Role): void;
}

export interface EngineOptions {
  store: Store;
  models: ModelsHolder;
  catalog: ResponseCatalog;
  policy?: EscalationPolicy;
  logger?: EngineLogger;
  observer?: EngineObserver;
  now?: () => number;
  /**
   * When customer messages get their explanation (the words behind intent and sentiment).
   * `on-demand` (default): while an agent is involved (the chat is queued or with an agent,
   * or this turn escalates it; earlier messages are then filled in), and when the console
   * opens a conversation. Explaining costs several times the prediction, and most chats the
   * bot handles alone are never looked at. `every-turn`: always (the CLI chat prints them).
   */
  explanations?: 'on-demand' | 'every-turn';
}

/** What one turn did, for tests, the CLI chat and metrics. */
export interface TurnOutcome {
  message: StoredMessage;
  action: 'reply' | 'escalate' | 'silent';
  understanding: Understanding;
  decision: Decision;
  reply?: Reply;
  /** Messages the turn posted (bot reply, escalation notice). */
  posted: StoredMessage[];
}

/** Thrown by `accept` once the engine is closing: the channel must not acknowledge. */
export class EngineClosedError extends Error {
  constructor() {
    super('the engine is shutting down; the message was not accepted');
    this.name = 'EngineClosedError';
  }
}

const noopLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The conversation engine: one turn per customer message, as a pipeline of named steps
 *   accept (durable, idempotent) -> understand -> decide -> respond -> store -> deliver.
 * Turns of a conversation run strictly in order; conversations run concurrently. The bot
 * speaks only while it owns the conversation, checked in `speak`, the one place bot
 * replies are posted.
 *
 * @example
 * const engine = new ConversationEngine({ store, models, catalog });
 * engine.on('message', (m) => send(m));
 * await engine.accept({ id: 'c1', conversationId: 'web:1', channel: 'webchat', role: 'customer', from: 'cust-1', text: 'hi', ts: Date.now() });
 */
export class ConversationEngine implements Engine {
  readonly ownership: Ownership;
  private readonly hub: EventHub;
  private readonly queue = new TurnQueue();
  private readonly policy: EscalationPolicy;
  private readonly log: EngineLogger;
  private readonly now: () => number;
  private readonly turnWaiters = new Map<string, Array<(o: TurnOutcome) => void>>();
  private closed = false;
  private stopRelay: (() => Promise<void>) | undefined;
  /**
   * Conversations this engine has seen stored, with the owner it saw last (their reads and
   * the transitions it hears of): their messages are appended directly, and a customer
   * message to one the bot owns shows the bot typing at once (see `accept`).
   */
  private readonly known = new RecentMap<string, Owner>(50_000);
  /** Conversations where the bot is shown typing. */
  private readonly botTyping = new Set<string>();
  private readonly states = new WrittenStates();
  private readonly pump = new TurnPump();

  constructor(private readonly options: EngineOptions) {
    this.policy = options.policy ?? defaultPolicy;
    this.log = options.logger ?? noopLogger;
    this.now = options.now ?? Date.now;
    this.hub = new EventHub((error, event) => this.log.error({ err: error, event }, 'engine event listener failed'));
    // Ours and, when relaying, the other instances' transitions.
    this.hub.on('transition', (t) => {
      if (this.known.has(t.conversationId)) this.known.set(t.conversationId, t.to);
    });
    this.ownership = new Ownership({
      store: options.store,
      post: (m) => this.post(m),
      announce: (t) => this.announce(t),
      now: this.now,
    });
  }

  get models(): ModelsHolder {
    return this.options.models;
  }

  on<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): () => void {
    return this.hub.on(event, listener);
  }

  /**
   * Step 1, accept: validates and stores the message. Resolves once it is durable (the
   * channel may acknowledge then); the same id twice is a no-op (`duplicate: true`). The
   * turn runs afterwards, queued behind the conversation's earlier turns.
   */
  async accept(input: Activity): Promise<{ message: StoredMessage; duplicate: boolean }> {
    if (this.closed) throw new EngineClosedError();
    const activity = Activity.parse(input);
    const { message, duplicate } = await this.store(activity);
    if (duplicate) return { message, duplicate };
    this.options.observer?.message?.(message.role);
    this.deliver(message);
    if (message.role === 'customer') {
      // The bot types from the moment the message is stored, not from when its turn reads
      // the conversation a loop phase later: the indicator then goes out in the same socket
      // write as the ack (one write per message fewer). Only where the bot owned the
      // conversation when last seen; the turn corrects it if that changed.
      if (this.known.get(message.conversationId) === 'bot') this.setBotTyping(message.conversationId, true);
      this.schedule(message);
    }
    return { message, duplicate };
  }

  /**
   * Shares this engine's events with the other server instances on the same store, and
   * delivers theirs to this engine's listeners (src/bot/relay.ts). Call once, before the
   * channels open; `close` stops it after the last turn's events went out.
   */
  async relay(options: RelayOptions & { pubsub?: PubSub } = {}): Promise<void> {
    if (this.stopRelay) throw new Error('the engine already relays its events');
    const { pubsub = this.options.store, ...rest } = options;
    this.stopRelay = await relayEvents(this.hub, pubsub, { onError: (err) => this.log.warn({ err }, 'engine event relay failed'), ...rest });
  }

  /**
   * Appends a message, creating its conversation on the first one. A conversation this
   * engine has not seen yet is created and appended to in one go (one commit, one round
   * trip); a known one is only appended to, saving a write per message. A known
   * conversation deleted meanwhile (retention) is simply created again.
   */
  private async store(activity: Activity): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const store = this.options.store;
    const ensureAndAppend = async () => {
      // Both requested at once, in this order: they share one commit (one round trip on Redis).
      const created = store.ensureConversation({ id: activity.conversationId, channel: activity.channel, customerId: activity.from });
      const appended = store.appendMessage(activity);
      const [conversation, result] = await Promise.all([created, appended]);
      this.known.set(activity.conversationId, conversation.owner);
      return result;
    };
    if (!this.known.has(activity.conversationId)) return ensureAndAppend();
    try {
      return await store.appendMessage(activity);
    } catch (error) {
      if (!(error instanceof StoreNotFoundError)) throw error;
      return ensureAndAppend();
    }
  }

  /** Resolves with the outcome of the turn of a customer message accepted earlier. */
  turnOf(messageId: string): Promise<TurnOutcome> {
    return new Promise((resolve) => {
      const list = this.turnWaiters.get(messageId) ?? [];
      list.push(resolve);
      this.turnWaiters.set(messageId, list);
    });
  }

  async history(conversationId: string, afterSeq = 0): Promise<StoredMessage[]> {
    const messages = await this.options.store.listMessages(conversationId, { afterSeq });
    return messages.filter((m) => !m.internal);
  }

  async thumbs(conversationId: string, messageId: string, value: 'up' | 'down', by: string): Promise<void> {
    const reply = await this.options.store.getMessage(conversationId, messageId);
    if (!reply || reply.role !== 'bot') throw new Error(`no bot reply ${messageId} in conversation ${conversationId}`);
    const asked = reply.replyTo ? await this.options.store.getMessage(conversationId, reply.replyTo) : undefined;
    const u = asked?.understanding;
    // recordFeedback redacts the text: the one way feedback reaches the store.
    await recordFeedback(this.options.store, {
      id: `thumbs-${hash(`${conversationId}\0${messageId}\0${by}`)}`,
      kind: 'thumbs',
      conversationId,
      messageId,
      value,
      by,
      ts: this.now(),
      review: 'pending',
      ...(asked ? { text: asked.text } : {}),
      ...(u ? { predicted: { intent: u.intent, sentiment: u.sentiment, confidence: u.intentConfidence }, modelVersions: u.modelVersions } : {}),
    });
  }

  /**
   * A message the bot could not understand goes to the review queue (redacted). Its id is
   * derived from the message, so a turn replayed after a crash does not record it twice;
   * a failure is logged, never fatal to the turn.
   */
  private async recordFallback(message: StoredMessage, understanding: Understanding): Promise<void> {
    const u = understanding.stored;
    try {
      await recordFeedback(this.options.store, {
        id: `fallback-${hash(`${message.conversationId}\0${message.id}`)}`,
        kind: 'fallback',
        conversationId: message.conversationId,
        messageId: message.id,
        text: message.text,
        predicted: { intent: u.alternatives[0]?.label ?? u.intent, sentiment: u.sentiment, confidence: u.intentConfidence },
        modelVersions: u.modelVersions,
        by: 'bot',
        ts: this.now(),
      });
    } catch (error) {
      this.log.warn({ err: error, conversationId: message.conversationId, messageId: message.id }, 'could not record a fallback for review');
    }
  }

  typing(conversationId: string, role: Role, on: boolean): void {
    this.hub.emit('typing', { conversationId, role, on });
  }

  /** Shows or hides the bot typing; says so only when that changes. */
  private setBotTyping(conversationId: string, on: boolean): void {
    if (on === this.botTyping.has(conversationId)) return;
    if (on) this.botTyping.add(conversationId);
    else this.botTyping.delete(conversationId);
    this.typing(conversationId, 'bot', on);
  }

  /** Stores customer attributes from the channel (e.g. { vip: 'true' }) on the conversation. */
  async setAttributes(init: Pick<Conversation, 'id' | 'channel' | 'customerId'>, attributes: Record<string, string>): Promise<void> {
    const conversation = await this.options.store.ensureConversation({ ...init, attributes });
    const merged = { ...conversation.attributes, ...attributes };
    await this.options.store.saveState(init.id, conversation.state, { attributes: merged });
  }

  /**
   * Replays accepted customer messages whose turn never finished (the process died
   * mid-turn). Call once at start, before the channels open. Returns how many were queued.
   */
  async recover(): Promise<number> {
    let queued = 0;
    for (const conversation of await this.options.store.listConversations()) {
      const state = readState(conversation.state, conversation.attributes);
      const pending = (await this.options.store.listMessages(conversation.id, { afterSeq: state.lastHandledSeq })).filter((m) => m.role === 'customer');
      for (const message of pending) {
        this.schedule(message);
        queued++;
      }
      if (pending.length) this.log.info({ conversationId: conversation.id, messages: pending.length }, 'recovering unanswered messages');
    }
    return queued;
  }

  /**
   * Computes the pending explanations of a conversation's customer messages (an agent is
   * about to read them) and stores them. Runs in the conversation's turn order. Returns how
   * many were filled in. Each message is explained by the versions that predicted it (loaded
   * from the models folder after a promotion); one whose versions are gone stays unexplained.
   */
  explain(conversationId: string): Promise<number> {
    return this.queue.run(conversationId, () => this.explainPending(conversationId));
  }

  private async explainPending(conversationId: string): Promise<number> {
    let filled = 0;
    for (const m of await this.options.store.listMessages(conversationId)) {
      if (m.role !== 'customer' || !m.understanding?.explanationPending) continue;
      // Explained by the very versions that predicted it, even after a promotion.
      const models = await this.options.models.pairOf(m.understanding.modelVersions);
      const full = models ? await explainUnderstanding(models, m.text, m.understanding) : undefined;
      if (!full) continue;
      await this.options.store.setUnderstanding(conversationId, m.id, full);
      filled++;
    }
    return filled;
  }

  /** A conversation as stored (owner, agent, attributes...). */
  conversation(id: string): Promise<Conversation | undefined> {
    return this.options.store.getConversation(id);
  }

  /** Resolves when no turn is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops accepting messages and waits for the turns in flight to finish. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.idle();
    const stop = this.stopRelay;
    this.stopRelay = undefined;
    await stop?.();
  }

  private schedule(message: StoredMessage): void {
    // Turns start in accept order, a slice per loop phase (turn-pump.ts).
    const started = this.pump.ticket();
    this.queue
      .run(message.conversationId, () => started.then(() => this.turn(message)))
      .then((outcome) => {
        const waiters = this.turnWaiters.get(message.id);
        this.turnWaiters.delete(message.id);
        waiters?.forEach((w) => w(outcome));
      })
      .catch((error) => this.log.error({ err: error, conversationId: message.conversationId, messageId: message.id }, 'turn failed'));
  }

  /** One customer turn. Deterministic given the stored state, so replaying it after a crash is safe. */
  private async turn(message: StoredMessage): Promise<TurnOutcome> {
    try {
      return await this.runTurn(message);
    } finally {
      // After the reply went out, and on every other way out (already handled, failed).
      this.setBotTyping(message.conversationId, false);
    }
  }

  /** The steps of a turn (see the class comment); `turn` hides the bot typing after them. */
  private async runTurn(message: StoredMessage): Promise<TurnOutcome> {
    const started = performance.now();
    const store = this.options.store;
    let conversation = await store.getConversation(message.conversationId);
    if (!conversation) throw new Error(`conversation ${message.conversationId} vanished`);
    const state = this.states.read(conversation.id, conversation.state, conversation.attributes);
    // Already handled (a duplicate schedule during recovery): nothing to do twice.
    if (message.seq <= state.lastHandledSeq) return this.replayedOutcome(message, state);

    if (conversation.owner === 'resolved') {
      conversation = (await this.ownership.transition(conversation.id, 'bot', { by: 'bot', reason: 'the customer wrote again after the conversation was resolved', expectOwner: 'resolved' })).conversation;
    }
    this.known.set(conversation.id, conversation.owner);
    const botOwns = conversation.owner === 'bot';
    // On already since the accept, unless the owner was not known to be the bot then; off
    // if it was shown and the bot no longer owns the conversation.
    this.setBotTyping(conversation.id, botOwns);
    // Step 2, understand: one model pair for the whole turn, even if a reload happens now.
    const models = this.options.models.current();
    const understanding = await understandAsync(models, message.text, { explain: this.options.explanations === 'every-turn' || conversation.owner !== 'bot' });
    // Step 3, decide: fold the turn into the running state, then ask the policy.
    const snapshot = advanceSnapshot(
      {
        ...state.snapshot,
        owner: conversation.owner,
        attributes: conversation.attributes,
        ...(conversation.owner === 'queued' && conversation.queuedAt ? { waitingSinceMs: Math.max(0, this.now() - conversation.queuedAt) } : { waitingSinceMs: undefined }),
      },
      understanding.turn,
      this.policy,
    );
    const decision = decide(snapshot, understanding.turn, this.policy);
    // An agent will read this one: explain it now (the explanation does not change the decision).
    if (decision.action === 'escalate') understanding.stored = (await explainUnderstanding(models, message.text, understanding.stored)) ?? understanding.stored;
    understanding.stored.frustration = snapshot.frustration.level;
    // The turn's writes are requested together and awaited once, before the turn counts
    // as done: on the SQLite store they then share one commit (group commit), on Redis one
    // round trip. The state that marks the turn handled is requested last.
    const writes: Array<Promise<unknown>> = [store.setUnderstanding(message.conversationId, message.id, understanding.stored)];
    if (understanding.stored.fallback) writes.push(this.recordFallback(message, understanding));

    // Step 4, respond (or hand over, or stay silent).
    const posted: StoredMessage[] = [];
    let action: TurnOutcome['action'] = 'silent';
    let reply: Reply | undefined;
    let replying: Promise<StoredMessage | undefined> | undefined;
    const answered = { ...state.answered };
    if (decision.action === 'reply') {
      reply = respond(this.options.catalog, understanding, { variant: answered[understanding.stored.intent] ?? 0, fallbacksInARow: snapshot.fallbacksInARow });
      replying = this.speak(conversation, message, reply);
      writes.push(replying);
      action = 'reply';
      // Counted before the store confirms the reply (it is saved in the same commit); if an
      // agent claimed the chat meanwhile, the next answer merely picks the next variant.
      if (reply.kind === 'answer') answered[understanding.stored.intent] = (answered[understanding.stored.intent] ?? 0) + 1;
    } else if (decision.action === 'escalate') {
      await Promise.all(writes.splice(0));
      try {
        await this.ownership.escalate(conversation.id, decision.reason ?? 'escalated by policy', decision.priority, 'policy', `esc-${hash(`${message.conversationId}\0${message.id}`)}`);
        action = 'escalate';
        await this.explainPending(conversation.id);
        posted.push(...(await store.listMessages(conversation.id, { afterSeq: message.seq })).filter((m) => m.role === 'system' && !m.internal));
      } catch (error) {
        // An agent took the conversation while we were thinking: they own it now.
        if (!(error instanceof OwnershipError)) throw error;
        this.log.info({ conversationId: conversation.id, code: error.code }, 'escalation skipped: ownership changed meanwhile');
      }
    }
    // Step 5, store the state for the next turn. This marks the turn as done for recovery.
    const next: EngineState = { snapshot: { ...snapshot, owner: action === 'escalate' ? 'queued' : conversation.owner }, answered, lastHandledSeq: message.seq };
    writes.push(store.saveState(conversation.id, next as unknown as Record<string, unknown>, decision.action === 'to-agent' ? { priority: decision.priority } : undefined));
    await Promise.all(writes);
    this.states.remember(conversation.id, next);
    if (replying) {
      const sent = await replying;
      // An agent claimed the chat after the owner check: the store kept the bot silent.
      if (sent) posted.push(sent);
      else action = 'silent';
    }

    this.hub.emit('turn', { conversationId: conversation.id, messageId: message.id, action });
    const ms = performance.now() - started;
    this.options.observer?.turn?.({ conversationId: conversation.id, ms, action, ...(decision.trigger ? { trigger: decision.trigger } : {}) });
    this.log.info({ conversationId: conversation.id, seq: message.seq, intent: understanding.stored.intent, confidence: understanding.stored.intentConfidence, sentiment: understanding.stored.sentiment, frustration: snapshot.frustration.level, action, trigger: decision.trigger, ms: Math.round(ms * 10) / 10 }, 'turn');
    if (decision.reason && action === 'escalate') this.log.info({ conversationId: conversation.id, reason: decision.reason, priority: decision.priority }, 'escalated');
    return { message, action, understanding, decision, posted, ...(reply ? { reply } : {}) };
  }

  /**
   * Step 6, deliver: the only way a bot reply reaches a customer. The store appends it only
   * if the bot owns the conversation at that very moment (one atomic step), because an agent
   * may have claimed it since the turn read the owner; then nothing is stored or sent, and
   * the promise resolves undefined. The caller does not await it alone: the reply is stored
   * together with the rest of the turn's writes.
   */
  private speak(conversation: Conversation, replyTo: StoredMessage, reply: Reply): Promise<StoredMessage | undefined> {
    return this.post({
      id: `bot-${hash(`${replyTo.conversationId}\0${replyTo.id}`)}`,
      conversationId: conversation.id,
      channel: conversation.channel,
      role: 'bot',
      from: 'bot',
      text: reply.text,
      ...(reply.quickReplies?.length ? { quickReplies: reply.quickReplies } : {}),
      ts: this.now(),
      replyTo: replyTo.id,
    }, 'bot');
  }

  /**
   * Stores a message (idempotent on id) and announces it to the channels or the agents.
   * With `onlyIfOwner`, nothing is stored (undefined) unless the conversation has that owner.
   */
  private post(message: Omit<StoredMessage, 'seq'>): Promise<StoredMessage>;
  private post(message: Omit<StoredMessage, 'seq'>, onlyIfOwner: Owner): Promise<StoredMessage | undefined>;
  private async post(message: Omit<StoredMessage, 'seq'>, onlyIfOwner?: Owner): Promise<StoredMessage | undefined> {
    const appended = onlyIfOwner === undefined
      ? await this.options.store.appendMessage(message)
      : await this.options.store.appendMessageIfOwner(message, onlyIfOwner);
    if (!appended) return undefined;
    const { message: stored, duplicate } = appended;
    if (!duplicate) {
      this.options.observer?.message?.(stored.role);
      this.deliver(stored);
    }
    return stored;
  }

  private deliver(message: StoredMessage): void {
    this.hub.emit(message.internal ? 'agentOnly' : 'message', message);
  }

  private announce(transition: OwnershipTransition): void {
    this.hub.emit('transition', transition);
  }

  private async replayedOutcome(message: StoredMessage, state: EngineState): Promise<TurnOutcome> {
    const understanding = await understandAsync(this.options.models.current(), message.text);
    return { message, action: 'silent', understanding, decision: { action: 'to-agent', priority: 0, numbers: { lastHandledSeq: state.lastHandledSeq }, reason: 'already handled' }, posted: [] };
  }
}

/** Short stable id part, so ids derived from a customer message id stay within 100 characters. */
function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
