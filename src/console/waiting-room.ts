import type { Engine } from '../bot/engine-api.js';
import { TurnQueue } from '../bot/turn-queue.js';
import { defaultPolicy, type EscalationPolicy } from '../escalation/policy.js';
import type { OwnershipTransition, StoredMessage, Store } from '../store/types.js';
import type { AgentDesk } from './desk.js';
import type { ConsoleSettings } from './options.js';
import { buildQueue, expectedWaitMs, formatWait } from './queue.js';
import { extractContact, saveTicket } from './tickets.js';

/** Per-conversation memory of the offer, keyed by the escalation (queuedAt), so a second escalation gets a fresh one. */
export const OFFERS_NAMESPACE = 'console-contact-offers';
interface Offer {
  queuedAt: number;
  offeredAt: number;
  ticketId?: string;
}

export const CONTACT_OFFER_TEXT =
  'All our agents are still busy. If you prefer, leave your email address or phone number here and we will get back to you. You can also keep waiting.';

export interface WaitingRoomOptions {
  store: Store;
  engine: Engine;
  desk: AgentDesk;
  settings: Pick<ConsoleSettings, 'contactOfferAfterMs' | 'waitPerPositionMs'>;
  policy?: EscalationPolicy;
  /** How many agents are signed in to the console right now (for the expected wait). */
  agentsOnline?: () => number;
  /** Tell the customer the expected wait when they enter the queue (the engine already tells the position). */
  announce?: boolean;
  now?: () => number;
  logger?: { warn(obj: object, msg?: string): void };
}

/**
 * Looks after customers waiting for a person: tells them where they are in the queue and
 * how long it may take, offers to take contact details when nobody claimed the chat within
 * `contactOfferAfterMs`, and turns the next message holding an email or phone number into a
 * ticket. `tick()` is what the timer runs; tests call it directly.
 */
export class WaitingRoom {
  private timer: NodeJS.Timeout | undefined;
  private readonly off: Array<() => void> = [];
  private readonly now: () => number;
  /**
   * A conversation's messages and offers are handled one at a time (no double offers, no
   * double tickets); conversations do not wait for each other.
   */
  private readonly chains = new TurnQueue();
  private ticking: Promise<void> | undefined;
  /**
   * The conversations waiting for an agent, followed from the ownership changes of every
   * instance. Only a waiting customer's message can answer a contact offer, and most
   * messages are in chats the bot handles: those then cost no store read. Undefined until
   * the listing at start is in; until then every customer message is checked.
   */
  private waiting: Set<string> | undefined;
  /** Transitions seen before the listing at start is in: replayed on it, in order. */
  private early: OwnershipTransition[] | undefined = [];
  private readonly pendingNotice = new Set<string>();

  constructor(private readonly o: WaitingRoomOptions) {
    this.now = o.now ?? Date.now;
  }

  start(intervalMs = Math.max(1000, Math.min(15_000, Math.floor(this.o.settings.contactOfferAfterMs / 4)))): void {
    // The instance where an event happened reacts to it (tickets, wait notices); the others
    // see it relayed and leave it, or a ticket would be opened once per instance.
    this.listWaiting();
    this.off.push(this.o.engine.on('message', (m, origin) => {
      if (origin === 'remote' || m.role === 'bot' || m.role === 'agent') return;
      if (m.role === 'customer' && this.waiting && !this.waiting.has(m.conversationId)) return;
      void this.serially(m.conversationId, () => this.onMessage(m));
    }));
    const announce = this.o.announce !== false;
    this.off.push(this.o.engine.on('transition', (t, origin) => {
      this.follow(t);
      if (announce && origin !== 'remote') void this.serially(t.conversationId, () => this.onTransition(t));
    }));
    if (this.o.settings.contactOfferAfterMs > 0) {
      this.timer = setInterval(() => void this.tick(), intervalMs);
      this.timer.unref();
    }
  }

  /** `waiting` at start: the queued conversations, then the transitions seen meanwhile. */
  private listWaiting(): void {
    this.o.store.listConversations({ owner: 'queued' }).then((list) => {
      this.waiting = new Set(list.map((c) => c.id));
      for (const t of this.early ?? []) this.follow(t);
      this.early = undefined;
    }, (error) => {
      // Without the listing every customer message is checked, as before it is in.
      this.early = undefined;
      this.failed(error, undefined);
    });
  }

  /** Keeps `waiting` up to date with a transition of any instance. */
  private follow(t: OwnershipTransition): void {
    if (!this.waiting) this.early?.push(t);
    else if (t.to === 'queued') this.waiting.add(t.conversationId);
    else this.waiting.delete(t.conversationId);
  }

  stop(): void {
    clearInterval(this.timer);
    this.off.splice(0).forEach((f) => f());
  }

  /**
   * Offers contact details to every conversation queued for longer than the limit. Resolves
   * once the offers are made and the messages handed to the waiting room before the tick
   * are handled too. A tick while one runs joins it.
   */
  tick(): Promise<void> {
    return (this.ticking ??= this.offerToLongWaits().finally(() => (this.ticking = undefined)));
  }

  private async offerToLongWaits(): Promise<void> {
    await this.chains.settled();
    const limit = this.o.settings.contactOfferAfterMs;
    if (limit <= 0) return;
    const now = this.now();
    for (const c of await this.o.store.listConversations({ owner: 'queued' }).catch((error) => this.failed(error, []))) {
      if (c.queuedAt === undefined || now - c.queuedAt < limit) continue;
      await this.serially(c.id, () => this.offer(c.id, c.queuedAt!, now));
    }
  }

  private async offer(conversationId: string, queuedAt: number, now: number): Promise<void> {
    const offer = await this.o.store.get<Offer>(OFFERS_NAMESPACE, conversationId);
    if (offer?.queuedAt === queuedAt) return;
    // Several server instances tick: the lock makes one of them the one that offers.
    const release = await this.o.store.tryLock(`contact-offer:${conversationId}`, 30_000);
    if (!release) return;
    try {
      const again = await this.o.store.get<Offer>(OFFERS_NAMESPACE, conversationId);
      if (again?.queuedAt === queuedAt) return;
      await this.o.store.set(OFFERS_NAMESPACE, conversationId, { queuedAt, offeredAt: now } satisfies Offer, 7 * 24 * 3_600_000);
      await this.o.desk.say(conversationId, CONTACT_OFFER_TEXT, `contact-offer-${queuedAt}`);
      await this.o.store.audit({ ts: now, actor: 'system', action: 'contact-offer', subject: conversationId, details: { waitedMs: now - queuedAt } });
    } finally {
      await release();
    }
  }

  /** Runs a task after the conversation's earlier ones; a failure is logged, never thrown. */
  private serially(conversationId: string, task: () => Promise<void>): Promise<void> {
    return this.chains.run(conversationId, task).catch((error) => this.failed(error, undefined));
  }

  private failed<T>(error: unknown, fallback: T): T {
    this.o.logger?.warn({ err: error }, 'waiting room task failed');
    return fallback;
  }

  private async onMessage(m: StoredMessage): Promise<void> {
    // The engine's own notice ("you are number N in the queue") comes right after the
    // transition; the expected wait follows it rather than racing it.
    if (m.role === 'system' && this.pendingNotice.delete(m.conversationId)) return this.announceWait(m.conversationId, m.id);
    if (m.role !== 'customer') return;
    const offer = await this.o.store.get<Offer>(OFFERS_NAMESPACE, m.conversationId);
    if (!offer || offer.ticketId) return;
    const contact = extractContact(m.text);
    if (!contact) return;
    const conversation = await this.o.store.getConversation(m.conversationId);
    if (!conversation) return;
    const ticket = await saveTicket(this.o.store, { conversationId: m.conversationId, customerId: conversation.customerId, ...contact, text: m.text, reason: conversation.escalationReason }, this.now());
    await this.o.store.set(OFFERS_NAMESPACE, m.conversationId, { ...offer, ticketId: ticket.id } satisfies Offer, 7 * 24 * 3_600_000);
    await this.o.store.audit({ ts: this.now(), actor: 'system', action: 'ticket', subject: m.conversationId, details: { ticketId: ticket.id } });
    const where = [...contact.emails, ...contact.phones].join(' / ');
    await this.o.desk.say(m.conversationId, `Thank you. We have your details (${where}) and will get back to you. If an agent becomes free sooner, they will answer here.`, `ticket-${ticket.id}`);
  }

  private async onTransition(t: OwnershipTransition): Promise<void> {
    if (t.to !== 'queued') return;
    // Escalations from the bot are announced by the engine; a release by an agent is not.
    if (t.from === 'agent') return this.announceWait(t.conversationId, `${t.ts}`);
    this.pendingNotice.add(t.conversationId);
  }

  private async announceWait(conversationId: string, after: string): Promise<void> {
    const queue = buildQueue(await this.o.store.listConversations({ owner: 'queued' }), this.now(), this.o.policy ?? defaultPolicy);
    const position = queue.find((q) => q.conversationId === conversationId)?.position;
    if (!position) return;
    const wait = expectedWaitMs(position, this.o.agentsOnline?.() ?? 1, this.o.settings.waitPerPositionMs);
    await this.o.desk.say(
      conversationId,
      `The expected wait is ${formatWait(wait)}. Everything you write here will be read by the agent.`,
      `wait-${after}`.slice(0, 100),
    );
  }
}
