/**
 * What the escalation policy reads and returns. The engine keeps a `ConversationSnapshot`
 * per conversation (in `Conversation.state`), folds each customer turn into it with
 * `advanceSnapshot`, then asks `decide` what to do.
 */

export type Owner = 'bot' | 'queued' | 'agent' | 'resolved';

import type { FrustrationState } from '../sentiment/frustration.js';

/**
 * The conversation's frustration (src/sentiment/frustration.ts): `level` 0 (calm) .. 1
 * (furious), `trend`, `reasons` with numbers ("negative sentiment 0.91 over 2 turns",
 * "repeated the same question (similarity 0.83)", "shouting (caps)"), and the remembered turns.
 */
export type Frustration = FrustrationState;

/** The running state of a conversation, after the current customer turn was folded in. */
export interface ConversationSnapshot {
  owner: Owner;
  /** Customer turns so far, including the current one. */
  customerTurns: number;
  /** Consecutive fallback turns ending with the current one (0 if the current one was understood). */
  fallbacksInARow: number;
  /** Consecutive turns with intent confidence below `policy.lowConfidence.threshold`, ending with the current one. */
  lowConfidenceInARow: number;
  frustration: Frustration;
  /** Channel-provided customer attributes, e.g. { vip: 'true' }. */
  attributes: Record<string, string>;
  /** How long (ms) the customer has been waiting in the queue, when owner is 'queued'. A duration, not a timestamp. */
  waitingSinceMs?: number;
}

/** What the NLU said about the current customer message. */
export interface TurnUnderstanding {
  text: string;
  intent: string;
  intentConfidence: number;
  fallback: boolean;
  sentiment: 'negative' | 'neutral' | 'positive';
  /** Calibrated p(negative). */
  negativeProbability: number;
  /** p(positive) - p(negative), in [-1, 1]. */
  sentimentScore: number;
}

export type Trigger = 'sentiment' | 'fallbacks' | 'low-confidence' | 'human-request' | 'rule';

export interface Decision {
  /**
   * `reply`: the bot answers. `escalate`: hand the conversation to the agents' queue.
   * `to-agent`: a person (queue or agent) owns the conversation: relay the message, the bot stays silent.
   */
  action: 'reply' | 'escalate' | 'to-agent';
  /** Human-readable, with the numbers: "negative sentiment 0.91, frustration 0.78 rising over 3 turns". */
  reason?: string;
  trigger?: Trigger;
  /** Queue priority, higher first (frustration, rules such as VIP; waiting time is added by `queuePriority`). */
  priority: number;
  /** The numbers behind the decision, for the console and the audit log. */
  numbers: Record<string, number>;
}
