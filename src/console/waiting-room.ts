import type { Engine } from '../bot/engine-api.js';
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
  /** Ticks and messages are handled one at a time: no double offers, no double tickets. */
  private chain: Promise<void> = Promise.resolve();
  private readonly pendingNotice = new Set<string>();

  constructor(private readonly o: WaitingRoomOptions) {
    this.now = o.now ?? Date.now;
  }

  start(intervalMs = Math.max(1000, Math.min(15_000, Math.floor(this.o.settings.contactOfferAfterMs / 4)))): void {
    // The instance where an event happened reacts to it (tickets, wait notices); the others
    // see it relayed and leave it, or a ticket would be opened once per instance.
    this.off.push(this.o.engine.on('message', (m, origin) => origin !== 'remote' && void this.serially(() => this.onMessage(m))));
    if (this.o.announce !== false) this.off.push(this.o.engine.on('transition', (t, origin) => origin !== 'remote' && void this.serially(() => this.onTransition(t))));
    if (this.o.settings.contactOfferAfterMs > 0) {
      this.timer = setInterval(() => void this.tick(), intervalMs);
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.off.splice(0).forEach((f) => f());
  }

  /** Offers contact details to every conversation queued for longer than the limit. */
  tick(): Promise<void> {
    return this.serially(async () => {
      const limit = this.o.settings.contactOfferAfterMs;
      if (limit <= 0) return;
      const now = this.now();
      for (const c of await this.o.store.listConversations({ owner: 'queued' })) {
        if (c.queuedAt === undefined || now - c.queuedAt < limit) continue;
        const offer = await this.o.store.get<Offer>(OFFERS_NAMESPACE, c.id);
        if (offer?.queuedAt === c.queuedAt) continue;
        // Several server instances tick: the lock makes one of them the one that offers.
        const release = await this.o.store.tryLock(`contact-offer:${c.id}`, 30_000);
        if (!release) continue;
        try {
          const again = await this.o.store.get<Offer>(OFFERS_NAMESPACE, c.id);
          if (again?.queuedAt === c.queuedAt) continue;
          await this.o.store.set(OFFERS_NAMESPACE, c.id, { queuedAt: c.queuedAt, offeredAt: now } satisfies Offer, 7 * 24 * 3_600_000);
          await this.o.desk.say(c.id, CONTACT_OFFER_TEXT, `contact-offer-${c.queuedAt}`);
          await this.o.store.audit({ ts: now, actor: 'system', action: 'contact-offer', subject: c.id, details: { waitedMs: now - c.queuedAt } });
        } finally {
          await release();
        }
      }
    });
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task).catch((error) => this.o.logger?.warn({ err: error }, 'waiting room task failed'));
    this.chain = run;
    return run;
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
