import { advanceSnapshot, initialSnapshot } from '../../src/escalation/frustration.js';
import { defaultPolicy, type EscalationPolicy } from '../../src/escalation/policy.js';
import { decide } from '../../src/escalation/decide.js';
import type { ConversationSnapshot, Decision, TurnUnderstanding } from '../../src/escalation/types.js';

/** A customer turn: neutral and well understood unless overridden. */
export function turn(text: string, overrides: Partial<TurnUnderstanding> = {}): TurnUnderstanding {
  return { text, intent: 'order_status', intentConfidence: 0.9, fallback: false, sentiment: 'neutral', negativeProbability: 0.05, sentimentScore: 0, ...overrides };
}

export const negative = (text: string, p: number, overrides: Partial<TurnUnderstanding> = {}): TurnUnderstanding =>
  turn(text, { intent: 'late_delivery', sentiment: 'negative', negativeProbability: p, sentimentScore: -p, ...overrides });

export const fallback = (text: string, confidence = 0.2): TurnUnderstanding => turn(text, { intent: 'fallback', fallback: true, intentConfidence: confidence });

/** Plays a scripted conversation through advanceSnapshot + decide; returns every decision. */
export function play(turns: TurnUnderstanding[], { policy = defaultPolicy, attributes = {}, start }: { policy?: EscalationPolicy; attributes?: Record<string, string>; start?: ConversationSnapshot } = {}): { decisions: Decision[]; state: ConversationSnapshot } {
  let state = start ?? initialSnapshot(attributes);
  const decisions: Decision[] = [];
  for (const u of turns) {
    state = advanceSnapshot(state, u, policy);
    decisions.push(decide(state, u, policy));
  }
  return { decisions, state };
}

/** Index of the first escalation, or -1. */
export const firstEscalation = (decisions: Decision[]): number => decisions.findIndex((d) => d.action === 'escalate');
