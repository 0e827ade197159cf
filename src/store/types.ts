import type { Activity } from '../bot/activity.js';

/**
 * Storage contracts. Two implementations (SQLite, Redis) pass one shared contract suite
 * (test/store/contract.ts). Everything is async and speaks domain types: no SQL or Redis
 * commands leak out of src/store/.
 */

/** Who owns a conversation. `bot -> queued -> agent -> resolved | bot`. */
export type Owner = 'bot' | 'queued' | 'agent' | 'resolved';

/** What the NLU said about a customer message, kept with it for the console and feedback. */
export interface StoredUnderstanding {
  intent: string;
  intentConfidence: number;
  fallback: boolean;
  ambiguous: boolean;
  alternatives: Array<{ label: string; confidence: number }>;
  sentiment: string;
  sentimentScore: number;
  sentimentConfidence: number;
  frustration?: number;
  explanation: { intent: Array<{ feature: string; weight: number }>; sentiment: Array<{ feature: string; weight: number }> };
  /**
   * The explanation was not computed yet (it is empty): explanations cost several times the
   * prediction, so the engine computes them when agents may look (see ConversationEngine#explain).
   */
  explanationPending?: true;
  modelVersions: { intent: string; sentiment: string };
}

export interface StoredMessage extends Activity {
  /** Per-conversation sequence number assigned by the store, 1-based, gap-free. */
  seq: number;
  understanding?: StoredUnderstanding;
}

export interface Conversation {
  id: string;
  channel: Activity['channel'];
  customerId: string;
  owner: Owner;
  agent?: string;                 // set while owner === 'agent'
  priority: number;               // queue order, higher first
  escalationReason?: string;
  queuedAt?: number;
  createdAt: number;
  updatedAt: number;
  attributes: Record<string, string>; // e.g. { vip: 'true' } from the channel
  /** Engine state kept between turns (frustration, fallback streak...), opaque JSON to the store. */
  state: Record<string, unknown>;
}

export interface OwnershipTransition {
  conversationId: string;
  from: Owner;
  to: Owner;
  by: string;          // 'bot', 'policy', an agent name
  reason: string;
  agent?: string;
  priority?: number;
  ts: number;
}

export type FeedbackKind =
  | 'thumbs'            // value: 'up' | 'down'
  | 'relabel-intent'    // value: the new intent
  | 'relabel-sentiment' // value: the new sentiment
  | 'wrong-answer'
  | 'escalation-outcome'// value: 'needed' | 'not-needed'
  | 'fallback';

export interface FeedbackEvent {
  id: string;
  kind: FeedbackKind;
  conversationId: string;
  messageId?: string;
  /** Redacted text of the message the feedback is about. */
  text?: string;
  value?: string;
  predicted?: { intent?: string; sentiment?: string; confidence?: number };
  modelVersions?: { intent?: string; sentiment?: string };
  by: string;
  ts: number;
  /** Review state for the training queue. */
  review: 'pending' | 'accepted' | 'corrected' | 'discarded';
  reviewLabel?: string;
  reviewedBy?: string;
}

export interface AuditEvent {
  id?: number;
  ts: number;
  actor: string;   // 'bot', 'policy', agent name, 'cli'
  action: string;  // 'escalate', 'claim', 'promote', 'rollback', ...
  subject: string; // conversation id, model version...
  details: Record<string, unknown>;
}

export interface ConversationStore {
  /** Creates the conversation if it does not exist; returns it either way. */
  ensureConversation(init: Pick<Conversation, 'id' | 'channel' | 'customerId'> & Partial<Pick<Conversation, 'attributes'>>): Promise<Conversation>;
  getConversation(id: string): Promise<Conversation | undefined>;
  listConversations(filter?: { owner?: Owner | Owner[]; customerId?: string; limit?: number }): Promise<Conversation[]>;
  /** Saves engine state (opaque) for a conversation. */
  saveState(id: string, state: Record<string, unknown>, patch?: Partial<Pick<Conversation, 'priority' | 'attributes'>>): Promise<void>;
  /**
   * Appends a message. Idempotent on `id`: appending the same id twice returns the first
   * stored copy (`duplicate: true`) and changes nothing. Durable when the promise resolves.
   */
  appendMessage(message: Omit<StoredMessage, 'seq'>): Promise<{ message: StoredMessage; duplicate: boolean }>;
  /**
   * Appends a message only while the conversation's owner is `owner`, checked in the same
   * atomic step as the append: the bot posts this way, so an agent who claimed the chat a
   * moment earlier is never talked over. Resolves undefined (nothing stored) when the owner
   * differs. A message already stored under this id is returned as a duplicate, whoever
   * owns the chat now (a turn replayed after a crash).
   */
  appendMessageIfOwner(message: Omit<StoredMessage, 'seq'>, owner: Owner): Promise<{ message: StoredMessage; duplicate: boolean } | undefined>;
  /** Attaches or replaces the understanding of a stored message. */
  setUnderstanding(conversationId: string, messageId: string, understanding: StoredUnderstanding): Promise<void>;
  getMessage(conversationId: string, messageId: string): Promise<StoredMessage | undefined>;
  /** Messages with seq > afterSeq, oldest first. */
  listMessages(conversationId: string, options?: { afterSeq?: number; limit?: number }): Promise<StoredMessage[]>;
  /**
   * Compare-and-set ownership: applies the transition only if the current owner (and agent,
   * when given) still match `from`. Returns false when someone else changed it first:
   * this is what makes two simultaneous claims give exactly one winner.
   */
  transition(t: OwnershipTransition, expectAgent?: string): Promise<boolean>;
  listTransitions(conversationId: string): Promise<OwnershipTransition[]>;
  /** Deletes conversations (and their messages) last updated before `ts`. Returns how many. */
  deleteConversationsBefore(ts: number): Promise<number>;
  /** Deletes everything about one customer. Returns how many conversations. */
  deleteCustomer(customerId: string): Promise<number>;
}

export interface FeedbackStore {
  addFeedback(event: FeedbackEvent): Promise<void>;
  listFeedback(filter?: { kind?: FeedbackKind | FeedbackKind[]; review?: FeedbackEvent['review'] | Array<FeedbackEvent['review']>; since?: number; limit?: number }): Promise<FeedbackEvent[]>;
  reviewFeedback(id: string, review: FeedbackEvent['review'], reviewedBy: string, reviewLabel?: string): Promise<boolean>;
}

export interface AuditStore {
  audit(event: AuditEvent): Promise<void>;
  listAudit(filter?: { subject?: string; action?: string; limit?: number }): Promise<AuditEvent[]>;
}

/** Small key-value needs: the models pointer, agent accounts, sessions, tickets. */
export interface KeyValueStore {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
  list<T = unknown>(namespace: string): Promise<Array<{ key: string; value: T }>>;
}

/** A lease so that only one instance runs a job (retraining) at a time. */
export interface LockStore {
  /** Returns a release function, or undefined when someone else holds the lock. */
  tryLock(name: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

/** Cross-instance notifications: an agent on instance B reaches a customer on instance A. */
export interface PubSub {
  publish(channel: string, message: unknown): Promise<void>;
  subscribe(channel: string, handler: (message: unknown) => void): Promise<() => Promise<void>>;
}

export interface Store extends ConversationStore, FeedbackStore, AuditStore, KeyValueStore, LockStore, PubSub {
  readonly kind: 'sqlite' | 'redis';
  /** Cheap liveness check for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
