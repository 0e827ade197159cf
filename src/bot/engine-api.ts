import type { Activity, Role } from './activity.js';
import type { OwnershipTransition, StoredMessage } from '../store/types.js';

/**
 * Where an event was raised: `local` on this server instance, `remote` on another one and
 * relayed here (src/bot/relay.ts). Delivering to sockets connected here wants both; a side
 * effect that must happen once per event (posting to Slack or Teams, opening a ticket)
 * reacts to `local` ones only, since every instance sees every event.
 */
export type EventOrigin = 'local' | 'remote';

/** What the engine announces; channels subscribe for the conversations they carry. */
export interface EngineEvents {
  /** Any stored message that the customer may see (customer, bot, agent, system; not internal notes). */
  message: (message: StoredMessage, origin?: EventOrigin) => void;
  /** Someone is typing in a conversation (the bot while it thinks, an agent, the customer). */
  typing: (event: { conversationId: string; role: Role; on: boolean }, origin?: EventOrigin) => void;
  /** Ownership changed (escalated, claimed, resolved...). */
  transition: (transition: OwnershipTransition, origin?: EventOrigin) => void;
  /** Internal notes and anything only agents may see. */
  agentOnly: (message: StoredMessage, origin?: EventOrigin) => void;
  /**
   * A customer message's turn finished: its understanding is stored (the console shows it),
   * and the conversation's priority may have changed.
   */
  turn: (event: { conversationId: string; messageId: string; action: 'reply' | 'escalate' | 'silent' }, origin?: EventOrigin) => void;
}

/**
 * The conversation engine as channels see it. A channel turns its wire format into an
 * Activity and calls `accept`; the promise resolves once the message is durably stored
 * (that is when the channel may acknowledge it). The turn (understand, decide, respond)
 * then runs and its results arrive through the events.
 */
export interface Engine {
  accept(activity: Activity): Promise<{ message: StoredMessage; duplicate: boolean }>;
  on<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): () => void;
  /** Messages of a conversation after `afterSeq` (customer-visible only), oldest first. */
  history(conversationId: string, afterSeq?: number): Promise<StoredMessage[]>;
  /** A customer's thumbs on a bot reply. */
  thumbs(conversationId: string, messageId: string, value: 'up' | 'down', by: string): Promise<void>;
  /** Customer typing, relayed to the agent who owns the conversation. */
  typing(conversationId: string, role: Role, on: boolean): void;
}
