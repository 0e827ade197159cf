import { defaultPolicy, type EscalationPolicy } from './policy.js';
import type { Trigger } from './types.js';

/** Anything that looks like a queued conversation; a store `Conversation` fits. */
export interface QueueEntry {
  /** The priority set when the conversation was escalated (Decision.priority). */
  priority?: number;
  /** When it entered the queue (ms since epoch). */
  queuedAt?: number;
  attributes?: Record<string, string>;
  /** Latest frustration level, if known; else read from `state.frustration.level` when present. */
  frustration?: number;
  state?: Record<string, unknown>;
  trigger?: Trigger;
}

/** Sum of the priority boosts of the attribute rules this customer matches (e.g. vip). */
export function attributeBoost(attributes: Record<string, string> | undefined, policy: EscalationPolicy = defaultPolicy): number {
  if (!attributes) return 0;
  return policy.rules.attributes.reduce((sum, rule) => sum + (attributes[rule.name] === rule.equals ? rule.priorityBoost : 0), 0);
}

/**
 * The static part of a queue priority: frustration, attribute rules, extra boosts (keyword,
 * intent rule) and asking for a human. Rounded to one decimal.
 */
export function basePriority(
  input: { frustration: number; attributes?: Record<string, string>; trigger?: Trigger; boost?: number },
  policy: EscalationPolicy = defaultPolicy,
): number {
  const p = policy.priority;
  const value =
    input.frustration * p.frustrationWeight +
    attributeBoost(input.attributes, policy) +
    (input.boost ?? 0) +
    (input.trigger === 'human-request' ? p.humanRequestBoost : 0);
  return Math.round(value * 10) / 10;
}

/** Points for waiting: `perWaitingMinute` per minute, capped at `maxWaitingBoost`. */
export function waitingBoost(waitedMs: number, policy: EscalationPolicy = defaultPolicy): number {
  const minutes = Math.max(0, waitedMs) / 60_000;
  return Math.min(policy.priority.maxWaitingBoost, minutes * policy.priority.perWaitingMinute);
}

/**
 * The order of the agents' queue, higher first: the escalation's priority (never lowered),
 * raised if the customer got more frustrated since, plus the time they have waited, so a calm
 * customer is not starved by a stream of angrier ones.
 *
 * @example
 * queuePriority({ priority: 50, queuedAt: now - 10 * 60_000 }, now) // 60
 * queue.sort((a, b) => queuePriority(b, now) - queuePriority(a, now))
 */
export function queuePriority(entry: QueueEntry, now: number, policy: EscalationPolicy = defaultPolicy): number {
  const stateLevel = (entry.state?.frustration as { level?: unknown } | undefined)?.level;
  const frustration = entry.frustration ?? (typeof stateLevel === 'number' ? stateLevel : undefined);
  const current = frustration === undefined ? 0 : basePriority({ frustration, attributes: entry.attributes, trigger: entry.trigger }, policy);
  const waited = entry.queuedAt === undefined ? 0 : now - entry.queuedAt;
  return Math.round((Math.max(entry.priority ?? 0, current) + waitingBoost(waited, policy)) * 10) / 10;
}
