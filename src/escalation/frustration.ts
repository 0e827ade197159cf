import { defaultPolicy, type EscalationPolicy } from './policy.js';
import type { ConversationSnapshot, Frustration, TurnUnderstanding } from './types.js';

const STRONG_WORDS =
  /\b(?:ridiculous|unacceptable|worst|useless|terrible|awful|pathetic|disgusting|outrageous|furious|angry|livid|scam|joke|incompetent|fed up|sick of|had enough|third time|fourth time|never again|wtf|damn|rubbish|garbage)\b/i;

/**
 * Signs of frustration in the wording itself, beyond the sentiment model: shouting in
 * capitals, "!!!", "???", strong words. Returns a score in [0, 1] and the reasons.
 *
 * @example textCues('WHERE IS MY ORDER??? This is ridiculous!!!')
 * // { score: 1, reasons: ['shouting (caps)', 'exclamation marks', 'repeated question marks', 'strong words'] }
 */
export function textCues(text: string): { score: number; reasons: string[] } {
  let score = 0;
  const reasons: string[] = [];
  const words = text.match(/\p{L}{3,}/gu) ?? [];
  const shouted = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase());
  if (shouted.length >= 2 && shouted.length * 2 >= words.length) {
    score += 0.35;
    reasons.push('shouting (caps)');
  }
  if (/!{2,}/.test(text)) {
    score += 0.25;
    reasons.push('exclamation marks');
  }
  if (/\?{2,}/.test(text)) {
    score += 0.15;
    reasons.push('repeated question marks');
  }
  if (STRONG_WORDS.test(text)) {
    score += 0.35;
    reasons.push('strong words');
  }
  return { score: Math.min(1, score), reasons };
}

/** A conversation before its first customer turn. */
export function initialSnapshot(attributes: Record<string, string> = {}): ConversationSnapshot {
  return { owner: 'bot', customerTurns: 0, fallbacksInARow: 0, lowConfidenceInARow: 0, frustration: { level: 0, trend: 'steady', reasons: [] }, attributes };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * How frustrated this one turn sounds, in [0, 1]: mostly the calibrated p(negative), plus
 * the wording cues, plus a little for not being understood.
 */
export function turnFrustration(u: TurnUnderstanding): { value: number; reasons: string[] } {
  const cues = textCues(u.text);
  const value = Math.min(1, 0.75 * u.negativeProbability + 0.25 * cues.score + (u.fallback ? 0.1 : 0));
  const reasons = [...(u.negativeProbability >= 0.5 ? [`negative ${u.negativeProbability.toFixed(2)}`] : []), ...cues.reasons, ...(u.fallback ? ['not understood'] : [])];
  return { value, reasons };
}

/**
 * Folds one customer turn into the running state: turn and streak counters, and the
 * frustration level, which builds quickly (`rise`), fades slowly (`fall`), and jumps to a
 * turn's value when one message alone is furious (`spike`). Pure: returns a new snapshot.
 *
 * @example
 * let s = initialSnapshot();
 * s = advanceSnapshot(s, { text: 'still nothing', intent: 'late_delivery', intentConfidence: 0.9,
 *   fallback: false, sentiment: 'negative', negativeProbability: 0.9, sentimentScore: -0.85 });
 * s.frustration // { level: 0.41, trend: 'rising', reasons: ['negative 0.90'] }
 */
export function advanceSnapshot(prev: ConversationSnapshot, u: TurnUnderstanding, policy: EscalationPolicy = defaultPolicy): ConversationSnapshot {
  const { rise, fall, spike, trendEpsilon } = policy.frustration;
  const turn = turnFrustration(u);
  const old = prev.frustration.level;
  let level = old + (turn.value - old) * (turn.value > old ? rise : fall);
  if (turn.value >= spike) level = Math.max(level, turn.value);
  level = round2(Math.min(1, Math.max(0, level)));
  const delta = level - old;
  const frustration: Frustration = {
    level,
    trend: delta > trendEpsilon ? 'rising' : delta < -trendEpsilon ? 'falling' : 'steady',
    reasons: turn.reasons.length > 0 ? turn.reasons : prev.frustration.reasons.slice(0, 5),
  };
  return {
    ...prev,
    customerTurns: prev.customerTurns + 1,
    fallbacksInARow: u.fallback ? prev.fallbacksInARow + 1 : 0,
    lowConfidenceInARow: u.intentConfidence < policy.lowConfidence.threshold ? prev.lowConfidenceInARow + 1 : 0,
    frustration,
  };
}
