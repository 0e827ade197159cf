import { EventEmitter } from 'node:events';
import type { Activity, Role } from '../../../src/bot/activity.js';
import type { Engine, EngineEvents } from '../../../src/bot/engine-api.js';
import type { OwnershipTransition, StoredMessage } from '../../../src/store/types.js';

/**
 * An honest in-memory Engine for the web chat's own tests (the real one lives in
 * src/bot/engine.ts): messages are stored with a gap-free per-conversation seq,
 * `accept` is idempotent on the Activity id, and every customer message gets the reply
 * "echo: <text>" after a typing indicator. "menu" gets quick replies.
 */
export class MemoryEngine implements Engine {
  readonly conversations = new Map<string, StoredMessage[]>();
  readonly thumbsGiven: Array<{ conversationId: string; messageId: string; value: 'up' | 'down'; by: string }> = [];
  readonly typingSeen: Array<{ conversationId: string; role: Role; on: boolean }> = [];
  private readonly ids = new Map<string, StoredMessage>();
  private readonly events = new EventEmitter();
  private replyCount = 0;
  /** Set to make the next accepts fail, as a broken store would. */
  failAccepts = false;
  /** How long the "store" takes per accept (a real store's latency varies). */
  acceptDelayMs: (activity: Activity) => number = () => 0;
  /** Delay before the bot's reply, so tests can see the typing indicator. */
  replyDelayMs = 0;
  private held: Promise<void> | undefined;

  /**
   * Holds the bot's replies (typing stays on) until the returned function is called: a test
   * can look for the typing indicator without racing a timer on a busy machine.
   */
  holdReplies(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }

  async accept(activity: Activity): Promise<{ message: StoredMessage; duplicate: boolean }> {
    if (this.failAccepts) throw new Error('store unavailable');
    const delay = this.acceptDelayMs(activity);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const existing = this.ids.get(activity.id);
    if (existing) return { message: existing, duplicate: true };
    const message = this.append(activity);
    // Like the real engine's: the bot types from the moment the message is stored, and the
    // turn runs after the accept resolves.
    this.events.emit('typing', { conversationId: message.conversationId, role: 'bot', on: true });
    setImmediate(() => void this.reply(message));
    return { message, duplicate: false };
  }

  on<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): () => void {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return () => this.events.off(event, listener as (...args: unknown[]) => void);
  }

  async history(conversationId: string, afterSeq = 0): Promise<StoredMessage[]> {
    return (this.conversations.get(conversationId) ?? []).filter((m) => m.seq > afterSeq && !m.internal);
  }

  async thumbs(conversationId: string, messageId: string, value: 'up' | 'down', by: string): Promise<void> {
    const m = this.ids.get(messageId);
    if (!m || m.conversationId !== conversationId || m.role !== 'bot') throw new Error(`no bot message ${messageId} in ${conversationId}`);
    this.thumbsGiven.push({ conversationId, messageId, value, by });
  }

  typing(conversationId: string, role: Role, on: boolean): void {
    this.typingSeen.push({ conversationId, role, on });
    this.events.emit('typing', { conversationId, role, on });
  }

  /** An agent (or anyone) writes into a conversation; `internal` notes are not announced to channels. */
  say(conversationId: string, role: Role, text: string, internal = false): StoredMessage {
    return this.append({ id: `m${++this.replyCount}-${role}`, conversationId, channel: 'webchat', role, from: role, text, ts: Date.now(), internal });
  }

  transition(t: OwnershipTransition): void {
    this.events.emit('transition', t);
  }

  /** The conversation in which a customer wrote `text` (browser tests do not see ids). */
  conversationWith(text: string): string {
    for (const [id, list] of this.conversations) if (list.some((m) => m.role === 'customer' && m.text === text)) return id;
    throw new Error(`no conversation where the customer wrote ${JSON.stringify(text)}`);
  }

  messages(conversationId: string): StoredMessage[] {
    return this.conversations.get(conversationId) ?? [];
  }

  private append(activity: Activity): StoredMessage {
    const list = this.conversations.get(activity.conversationId) ?? [];
    this.conversations.set(activity.conversationId, list);
    const message: StoredMessage = { ...activity, seq: list.length + 1 };
    list.push(message);
    this.ids.set(message.id, message);
    this.events.emit(message.internal ? 'agentOnly' : 'message', message);
    return message;
  }

  private async reply(to: StoredMessage): Promise<void> {
    if (this.replyDelayMs) await new Promise((r) => setTimeout(r, this.replyDelayMs));
    if (this.held) await this.held;
    const menu = to.text.trim().toLowerCase() === 'menu';
    this.append({
      id: `bot-${++this.replyCount}`,
      conversationId: to.conversationId,
      channel: 'webchat',
      role: 'bot',
      from: 'bot',
      text: menu ? 'What can I help with?' : `echo: ${to.text}`,
      ...(menu ? { quickReplies: [{ title: 'Track my order', value: 'track order' }, { title: 'Talk to a human', value: 'human' }] } : {}),
      ts: Date.now(),
      replyTo: to.id,
    });
    // After the reply, as the real engine's turn does.
    this.events.emit('typing', { conversationId: to.conversationId, role: 'bot', on: false });
  }
}
