import { textCues } from '../sentiment/cues.js';
import { defaultPolicy, type EscalationPolicy } from './policy.js';
import { basePriority, waitingBoost } from './priority.js';
import type { ConversationSnapshot, Decision, Trigger, TurnUnderstanding } from './types.js';

const f2 = (x: number): string => x.toFixed(2);

// Keyword regexes are compiled once per policy object.
const keywordCache = new WeakMap<EscalationPolicy, RegExp | null>();
function keywordRegex(policy: EscalationPolicy): RegExp | null {
  let re = keywordCache.get(policy);
  if (re === undefined) {
    const words = policy.rules.keywords.words.map((w) => w.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
    re = words.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, 'iu') : null;
    keywordCache.set(policy, re);
  }
  return re;
}

/**
 * Decides what happens with a customer turn: the bot replies, the conversation is escalated
 * to the agents' queue (with the trigger, a reason carrying the numbers, and a queue
 * priority), or it goes to the person who already owns it.
 *
 * `state` must already include the current turn (see `advanceSnapshot`). Triggers are
 * checked in this order, first match wins: explicit request for a human, rules (intent,
 * keyword, customer attribute), negative sentiment, fallbacks in a row, low confidence in
 * a row. A single mildly negative message never escalates: sentiment needs both a high
 * p(negative) and a frustration level built over turns, unless the message is extreme.
 *
 * @example
 * decide(state, understanding, defaultPolicy)
 * // { action: 'escalate', trigger: 'sentiment', priority: 46.8,
 * //   reason: 'negative sentiment 0.91, frustration 0.78 rising over 3 turns',
 * //   numbers: { negativeProbability: 0.91, frustration: 0.78, customerTurns: 3, ... } }
 */
export function decide(state: ConversationSnapshot, u: TurnUnderstanding, policy: EscalationPolicy = defaultPolicy): Decision {
  const { frustration } = state;
  const numbers: Record<string, number> = {
    negativeProbability: u.negativeProbability,
    sentimentScore: u.sentimentScore,
    frustration: frustration.level,
    customerTurns: state.customerTurns,
    fallbacksInARow: state.fallbacksInARow,
    lowConfidenceInARow: state.lowConfidenceInARow,
    intentConfidence: u.intentConfidence,
  };
  const priority = (trigger?: Trigger, boost = 0): number => basePriority({ frustration: frustration.level, attributes: state.attributes, trigger, boost }, policy);

  if (state.owner === 'queued' || state.owner === 'agent') {
    const waited = state.waitingSinceMs ?? 0;
    if (state.waitingSinceMs !== undefined) numbers.waitingMs = waited;
    const p = Math.round((priority() + (state.owner === 'queued' ? waitingBoost(waited, policy) : 0)) * 10) / 10;
    return { action: 'to-agent', reason: state.owner === 'agent' ? 'an agent owns the conversation' : 'waiting in the agents queue', priority: p, numbers: { ...numbers, priority: p } };
  }

  const escalate = (trigger: Trigger, reason: string, boost = 0): Decision => {
    const p = priority(trigger, boost);
    return { action: 'escalate', trigger, reason, priority: p, numbers: { ...numbers, priority: p } };
  };

  // 1. The customer asked for a person.
  const hr = policy.humanRequest;
  if (hr.enabled && u.intent === hr.intent && u.intentConfidence >= hr.minConfidence) {
    return escalate('human-request', `customer asked for a human (${u.intent} ${f2(u.intentConfidence)})`);
  }

  // 2. Rules.
  const rules = policy.rules;
  if (rules.intents.enabled && rules.intents.always.includes(u.intent) && u.intentConfidence >= rules.intents.minConfidence) {
    return escalate('rule', `rule: ${u.intent} (${f2(u.intentConfidence)}) always goes to a person`, rules.intents.priorityBoost);
  }
  const keyword = rules.keywords.enabled ? keywordRegex(policy)?.exec(u.text) : null;
  if (keyword) return escalate('rule', `rule: keyword "${keyword[0].toLowerCase()}"`, rules.keywords.priorityBoost);
  const negativeTurn = u.sentiment === 'negative' || u.negativeProbability >= rules.negativeProbability;
  for (const rule of rules.attributes) {
    if (state.attributes[rule.name] !== rule.equals) continue;
    const label = rule.label ?? `${rule.name}=${rule.equals}`;
    if (rule.when === 'always') return escalate('rule', `rule: ${label} (${rule.name}=${rule.equals})`);
    if (rule.when === 'negative' && negativeTurn) {
      return escalate('rule', `rule: ${label} (${rule.name}=${rule.equals}), negative turn ${f2(u.negativeProbability)}`);
    }
  }

  // 3. Negative sentiment: strength of this turn and frustration over the conversation.
  const s = policy.sentiment;
  if (s.enabled) {
    // Frustration built over turns first: its reason says more than one message does.
    if (
      u.negativeProbability >= s.minNegativeProbability &&
      frustration.level >= s.minFrustration &&
      frustration.trend !== 'falling' &&
      state.customerTurns >= s.minTurns
    ) {
      return escalate('sentiment', `negative sentiment ${f2(u.negativeProbability)}, frustration ${f2(frustration.level)} ${frustration.trend} over ${state.customerTurns} turns`);
    }
    const cues = s.extreme.enabled && u.negativeProbability >= s.extreme.minNegativeProbability ? textCues(u.text) : undefined;
    if (cues) numbers.cues = cues.score;
    if (cues && cues.score >= s.extreme.minCues) {
      return escalate('sentiment', `very negative message ${f2(u.negativeProbability)}, frustration ${f2(frustration.level)} (${cues.reasons.join(', ')})`, policy.priority.extremeBoost);
    }
  }

  // 4. The bot keeps not understanding.
  if (policy.fallbacks.enabled && state.fallbacksInARow >= policy.fallbacks.inARow) {
    return escalate('fallbacks', `${state.fallbacksInARow} fallbacks in a row`);
  }
  const lc = policy.lowConfidence;
  if (lc.enabled && state.lowConfidenceInARow >= lc.inARow) {
    return escalate('low-confidence', `${state.lowConfidenceInARow} low-confidence turns in a row (confidence ${f2(u.intentConfidence)} < ${f2(lc.threshold)})`);
  }

  const p = priority();
  return { action: 'reply', priority: p, numbers: { ...numbers, priority: p } };
}
