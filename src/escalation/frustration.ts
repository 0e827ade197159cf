import { initialFrustration, updateFrustration } from '../sentiment/frustration.js';
import { defaultPolicy, type EscalationPolicy } from './policy.js';
import type { ConversationSnapshot, TurnUnderstanding } from './types.js';

/** A conversation before its first customer turn. */
export function initialSnapshot(attributes: Record<string, string> = {}): ConversationSnapshot {
  return { owner: 'bot', customerTurns: 0, fallbacksInARow: 0, lowConfidenceInARow: 0, frustration: initialFrustration(), attributes };
}

/**
 * Folds one customer turn into the running state: turn and streak counters, and the
 * conversation's frustration (src/sentiment/frustration.ts: recency-weighted negativity,
 * repeats, fallbacks, asking for a human, waiting in the queue, wording cues). Pure:
 * returns a new snapshot.
 *
 * @example
 * let s = initialSnapshot();
 * s = advanceSnapshot(s, { text: 'still nothing', intent: 'late_delivery', intentConfidence: 0.9,
 *   fallback: false, sentiment: 'negative', negativeProbability: 0.9, sentimentScore: -0.85 });
 * s.frustration.level   // 0.45
 * s.frustration.reasons // ['negative sentiment 0.88 over 1 turn']
 */
export function advanceSnapshot(prev: ConversationSnapshot, u: TurnUnderstanding, policy: EscalationPolicy = defaultPolicy): ConversationSnapshot {
  const fallbacksInARow = u.fallback ? prev.fallbacksInARow + 1 : 0;
  const hr = policy.humanRequest;
  const frustration = updateFrustration(prev.frustration, {
    text: u.text,
    intent: u.intent,
    sentimentScore: u.sentimentScore,
    negativeProbability: u.negativeProbability,
    fallback: u.fallback,
    botFallbacksInARow: fallbacksInARow,
    askedForHuman: u.intent === hr.intent && u.intentConfidence >= hr.minConfidence,
    // Only a wait in the agents' queue counts: that is the wait the customer feels.
    ...(prev.owner === 'queued' && prev.waitingSinceMs !== undefined ? { waitedMs: prev.waitingSinceMs } : {}),
  }, policy.frustration);
  return {
    ...prev,
    customerTurns: prev.customerTurns + 1,
    fallbacksInARow,
    lowConfidenceInARow: u.intentConfidence < policy.lowConfidence.threshold ? prev.lowConfidenceInARow + 1 : 0,
    frustration,
  };
}
