import { summarize, type SummaryItem } from '../escalation/summary.js';
import { frustrationStateOf } from './queue.js';
import type { Conversation, OwnershipTransition, StoredMessage, StoredUnderstanding } from '../store/types.js';

/** A message as the console shows it (agent notes included, understanding attached). */
export interface ConsoleMessage {
  id: string;
  seq: number;
  role: StoredMessage['role'];
  from: string;
  text: string;
  ts: number;
  internal?: boolean;
  replyTo?: string;
  understanding?: StoredUnderstanding;
}

/** Everything the conversation view needs in one response. */
export interface ConversationView {
  conversation: Pick<Conversation, 'id' | 'channel' | 'customerId' | 'owner' | 'agent' | 'priority' | 'escalationReason' | 'queuedAt' | 'createdAt' | 'attributes'> & {
    /** The running frustration level in [0, 1], its trend and why ("repeated the same question (similarity 0.83)"). */
    frustration?: number;
    frustrationTrend?: 'rising' | 'steady' | 'falling';
    frustrationReasons?: string[];
  };
  summary: string;
  messages: ConsoleMessage[];
  transitions: OwnershipTransition[];
}

/** Strips a stored message to what the console shows. */
export function toConsoleMessage(m: StoredMessage): ConsoleMessage {
  return {
    id: m.id,
    seq: m.seq,
    role: m.role,
    from: m.from,
    text: m.text,
    ts: m.ts,
    ...(m.internal ? { internal: true } : {}),
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    ...(m.understanding ? { understanding: m.understanding } : {}),
  };
}

/**
 * The summary line for an agent, from the stored messages (notes left out: the customer
 * never saw them). Pure.
 */
export function summaryOf(messages: readonly StoredMessage[]): string {
  const items: SummaryItem[] = messages
    .filter((m) => !m.internal)
    .map((m) => ({
      role: m.role,
      text: m.text,
      ...(m.understanding ? { intent: m.understanding.fallback ? 'fallback' : m.understanding.intent, sentimentScore: m.understanding.sentimentScore } : {}),
    }));
  return summarize(items);
}

/** Builds the view from stored parts. Pure. */
export function buildView(conversation: Conversation, messages: readonly StoredMessage[], transitions: readonly OwnershipTransition[]): ConversationView {
  const kept = frustrationStateOf(conversation);
  const level = kept?.level;
  const trend = kept?.trend === 'rising' || kept?.trend === 'steady' || kept?.trend === 'falling' ? kept.trend : undefined;
  const reasons = Array.isArray(kept?.reasons) ? kept.reasons.filter((r): r is string => typeof r === 'string') : undefined;
  const { id, channel, customerId, owner, agent, priority, escalationReason, queuedAt, createdAt, attributes } = conversation;
  return {
    conversation: {
      id, channel, customerId, owner, agent, priority, escalationReason, queuedAt, createdAt, attributes,
      ...(typeof level === 'number' ? { frustration: level } : {}),
      ...(trend ? { frustrationTrend: trend } : {}),
      ...(reasons?.length ? { frustrationReasons: reasons } : {}),
    },
    summary: summaryOf(messages),
    messages: messages.map(toConsoleMessage),
    transitions: [...transitions],
  };
}
