import { Connection } from './connection.js';
import { StateStore, type SavedState } from './storage.js';
import type { ChatItem, ConnectionState, OutgoingItem, Role, ServerFrame } from './types.js';

/** What the UI needs to know; it re-renders from `ChatSession` getters. */
export interface ChatListener {
  items(): void;
  connection(state: ConnectionState, retryInMs?: number): void;
  typing(role: Role, on: boolean): void;
  owner(owner: string, queuePosition?: number): void;
}

/** Errors after which resending the same message cannot work. */
const FINAL_ERRORS = new Set(['text_too_long', 'empty_text', 'malformed', 'duplicate_id', 'too_large']);
const RETRY_REFUSED_MS = 3000;

/**
 * The protocol as the customer's side speaks it: hello/resume, the transcript, the outbox
 * of messages not yet acknowledged (kept across reloads, resent after every reconnect:
 * the server's idempotent accept makes a resend harmless), thumbs and typing.
 */
export class ChatSession {
  private saved: SavedState;
  private readonly connection: Connection;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: StateStore,
    server: string,
    private readonly customer: { id?: string; attributes?: Record<string, string> } | undefined,
    private readonly listener: ChatListener,
  ) {
    this.saved = store.load();
    this.connection = new Connection(server, {
      open: () => this.hello(),
      frame: (f) => this.onFrame(f),
      state: (s, retry) => listener.connection(s, retry),
    });
  }

  get items(): readonly ChatItem[] {
    return this.saved.items;
  }

  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  /** True when there is a conversation to come back to (connect early to show what is new). */
  get hasConversation(): boolean {
    return Boolean(this.saved.resumeToken) || this.saved.outbox.length > 0;
  }

  /**
   * While the panel is open the widget pings, to notice a dead network quickly. A closed
   * panel stays quiet, so a forgotten background tab is eventually closed by the server's
   * idle timeout instead of holding a socket forever; opening the panel reconnects.
   */
  setActive(active: boolean): void {
    this.connection.keepalive = active;
  }

  connect(): void {
    this.connection.start();
  }

  /** Sends (or queues while offline) a message; it shows as "sending" until acknowledged. */
  say(text: string, kind: OutgoingItem['kind'] = 'message', label = text): void {
    const clean = text.trim();
    if (!clean) return;
    const out: OutgoingItem = { clientId: newId(), kind, text: clean };
    this.saved.outbox.push(out);
    // A quick reply shows its title; the server gets its value.
    this.saved.items.push({ id: out.clientId, role: 'customer', text: label.trim() || clean, ts: Date.now(), status: 'sending' });
    this.persist();
    this.listener.items();
    this.transmit(out);
    this.connection.start(); // a customer who writes after an idle close wants to be back
  }

  thumbs(messageId: string, value: 'up' | 'down'): void {
    const item = this.saved.items.find((i) => i.id === messageId);
    if (!item || item.role !== 'bot') return;
    if (!this.connection.send({ type: 'thumbs', messageId, value })) return;
    item.thumbs = value;
    this.persist();
    this.listener.items();
  }

  typing(on: boolean): void {
    this.connection.send({ type: 'typing', on });
  }

  /** Forgets the conversation (e.g. when the customer logs out of the shop). */
  reset(): void {
    this.store.clear();
    this.saved = { lastSeq: 0, items: [], outbox: [] };
    this.listener.items();
    this.connection.restart();
  }

  destroy(): void {
    clearTimeout(this.retryTimer);
    this.connection.destroy();
  }

  private hello(): void {
    const { conversationId, resumeToken, lastSeq } = this.saved;
    this.connection.send(resumeToken ? { type: 'hello', conversationId, resumeToken, lastSeq } : { type: 'hello', ...(this.customer ? { customer: this.customer } : {}) });
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        if (frame.conversationId !== this.saved.conversationId) this.saved.lastSeq = 0;
        this.saved.conversationId = frame.conversationId;
        this.saved.resumeToken = frame.resumeToken;
        this.persist();
        // Everything not acknowledged goes again, in the order it was written.
        for (const out of this.saved.outbox) this.transmit(out);
        return;
      case 'ack':
        return this.acknowledged(frame.clientId, frame.seq);
      case 'message':
        return this.received(frame);
      case 'typing':
        return this.listener.typing(frame.role, frame.on);
      case 'state':
        return this.listener.owner(frame.owner, frame.queuePosition);
      case 'error':
        return this.refused(frame);
      case 'pong':
        return;
    }
  }

  private received(m: Extract<ServerFrame, { type: 'message' }>): void {
    if (m.seq <= this.saved.lastSeq) return;
    this.saved.lastSeq = m.seq;
    const mine = this.saved.items.find((i) => i.id === m.id);
    if (mine) {
      mine.seq = m.seq;
      mine.status = 'sent';
      this.saved.outbox = this.saved.outbox.filter((o) => o.clientId !== m.id);
    } else {
      this.saved.items.push({ id: m.id, seq: m.seq, role: m.role, text: m.text, quickReplies: m.quickReplies, ts: m.ts, ...(m.role === 'customer' ? { status: 'sent' as const } : {}) });
      if (m.role !== 'customer') this.listener.typing(m.role, false);
    }
    this.persist();
    this.listener.items();
  }

  private acknowledged(clientId: string, seq: number): void {
    this.saved.outbox = this.saved.outbox.filter((o) => o.clientId !== clientId);
    const item = this.saved.items.find((i) => i.id === clientId);
    if (item) {
      item.status = 'sent';
      item.seq = seq;
    }
    this.persist();
    this.listener.items();
  }

  private refused(error: Extract<ServerFrame, { type: 'error' }>): void {
    if (error.code === 'bad_resume_token') {
      // The conversation cannot be resumed (expired, server secret changed): start a new
      // one, keeping what the customer has not sent yet.
      this.saved = { lastSeq: 0, items: this.saved.items.filter((i) => i.status === 'sending'), outbox: this.saved.outbox };
      this.persist();
      this.listener.items();
      this.connection.restart();
      return;
    }
    if (!error.clientId) return;
    const item = this.saved.items.find((i) => i.id === error.clientId);
    if (FINAL_ERRORS.has(error.code)) {
      this.saved.outbox = this.saved.outbox.filter((o) => o.clientId !== error.clientId);
      if (item) {
        item.status = 'failed';
        item.error = error.reason;
      }
      this.persist();
      this.listener.items();
      return;
    }
    // rate_limited, internal: not stored, still in the outbox; try again shortly.
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.saved.outbox.forEach((o) => this.transmit(o)), RETRY_REFUSED_MS);
  }

  private transmit(out: OutgoingItem): void {
    this.connection.send(out.kind === 'quickReply' ? { type: 'quickReply', clientId: out.clientId, value: out.text } : { type: 'message', clientId: out.clientId, text: out.text });
  }

  private persist(): void {
    this.store.save(this.saved);
  }
}

function newId(): string {
  // randomUUID exists only in secure contexts (https, localhost); plain http pages get the fallback.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
