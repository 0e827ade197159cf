/**
 * A conversation's running frustration: recency-weighted negative sentiment plus the signals
 * that are not in the words (repeating a question, the bot failing to understand, asking for
 * a human, waiting, shouting). The one frustration model: the escalation policy folds every
 * customer turn into it (`advanceSnapshot`) and the agent console shows its level and reasons. Pure functions over a small JSON-serialisable state, so a store can keep
 * it and a test can script it.
 */
import { z } from 'zod';
import { textCues } from './cues.js';
import { jaccard, questionTokens } from './similarity.js';

/**
 * Options of `updateFrustration`. Defaults: one mildly negative message stays well below
 * 0.5, a single very negative one just below it, two or three negative turns in a row above it.
 */
export const FrustrationOptions = z.strictObject({
  /** How many past turns are remembered (scores, texts for repeat detection). */
  historySize: z.number().int().min(1).max(50).default(6),
  /** Weight of a turn k turns ago is decay^k: older turns matter less. */
  decay: z.number().min(0).max(1).default(0.6),
  /** Pressure per unit of a turn's negativity (see `negativityOf`). */
  sentimentGain: z.number().min(0).max(5).default(0.7),
  /** Pressure removed per unit of positive sentiment: thanks and relief calm things down. */
  calmGain: z.number().min(0).max(5).default(0.4),
  /** Token Jaccard similarity from which a message counts as a repeat of an earlier one. */
  repeatSimilarity: z.number().min(0).max(1).default(0.6),
  repeatWeight: z.number().min(0).max(5).default(0.45),
  /** Pressure per bot fallback in a row from the second one on. */
  fallbackWeight: z.number().min(0).max(5).default(0.3),
  humanRequestWeight: z.number().min(0).max(5).default(0.5),
  /** Waiting longer than this adds pressure, growing linearly up to `waitWeight` at `waitFullMs`. */
  waitThresholdMs: z.number().min(0).default(120_000),
  waitFullMs: z.number().positive().default(600_000),
  waitWeight: z.number().min(0).max(5).default(0.4),
  /**
   * Pressure per unit of wording cues (caps, "!!!", strong words; see `textCues`). Small:
   * the sentiment model already reads most of the words, the cues only tip the balance.
   */
  cueWeight: z.number().min(0).max(5).default(0.12),
  /** A level change smaller than this is 'steady'. */
  trendEpsilon: z.number().min(0).max(1).default(0.04),
});
export type FrustrationOptions = z.input<typeof FrustrationOptions>;
type Resolved = z.output<typeof FrustrationOptions>;

/** What the frustration tracker needs to know about one customer turn. */
export interface FrustrationTurn {
  /** p(positive) - p(negative), in [-1, 1]. */
  sentimentScore: number;
  negativeProbability: number;
  text: string;
  intent: string;
  /** Whether the bot fell back (did not understand) on this turn. */
  fallback: boolean;
  /** The bot's fallbacks in a row including this turn; counted from `fallback` when absent. */
  botFallbacksInARow?: number;
  askedForHuman: boolean;
  /** How long the customer waited for an answer before this turn. */
  waitedMs?: number;
  /** When the customer wrote (kept with the remembered turn; not used in the level). */
  ts?: number;
}

/** One remembered turn: its own contribution and the signals behind it. */
export interface RememberedTurn {
  ts?: number;
  score: number;
  negativity: number;
  /** Non-sentiment pressure of this turn (repeat, fallbacks, human request, waiting). */
  extra: number;
  signals: string[];
  tokens: string[];
}

export interface FrustrationState {
  /** In [0, 1]; 0.5 is a sensible escalation threshold. */
  level: number;
  trend: 'rising' | 'steady' | 'falling';
  turns: number;
  /** Sentiment scores of the last turns, oldest first. */
  history: number[];
  recent: RememberedTurn[];
  fallbacksInARow: number;
  /** Why the level is what it is, most important first, with numbers. */
  reasons: string[];
}

/**
 * A turn's negativity in [0, 1]: the mean of p(negative) and the negative part of the score,
 * so a message needs both a confident negative label and a clear margin to count fully.
 */
export function negativityOf(turn: Pick<FrustrationTurn, 'sentimentScore' | 'negativeProbability'>): number {
  const n = (clamp01(turn.negativeProbability) + Math.max(0, -turn.sentimentScore)) / 2;
  return clamp01(n);
}

/**
 * Folds one customer turn into the conversation's frustration state (pure: returns a new state).
 *
 * @example
 * let s = updateFrustration(undefined, { sentimentScore: -0.8, negativeProbability: 0.85, text: 'still no refund??', intent: 'return_refund', fallback: false, askedForHuman: false, ts: Date.now() });
 * s = updateFrustration(s, { sentimentScore: -0.9, negativeProbability: 0.92, text: 'this is ridiculous', intent: 'complaint', fallback: false, askedForHuman: false, ts: Date.now() });
 * s.level   // 0.626
 * s.reasons // ['negative sentiment 0.87 over 2 turns', 'rising: 0.44 -> 0.63']
 */
export function updateFrustration(state: FrustrationState | undefined, turn: FrustrationTurn, options: FrustrationOptions = {}): FrustrationState {
  const o = parseOptions(options);
  const previous = state ?? initialFrustration();
  const negativity = negativityOf(turn);
  const tokens = questionTokens(turn.text);
  const signals: string[] = [];
  let extra = 0;

  const repeat = bestRepeat(tokens, previous.recent);
  if (repeat >= o.repeatSimilarity) {
    extra += o.repeatWeight;
    signals.push(`repeated the same question (similarity ${repeat.toFixed(2)})`);
  }
  const fallbacksInARow = turn.botFallbacksInARow ?? (turn.fallback ? previous.fallbacksInARow + 1 : 0);
  if (fallbacksInARow >= 2) {
    extra += o.fallbackWeight * (fallbacksInARow - 1);
    signals.push(`${fallbacksInARow} fallbacks in a row`);
  }
  if (turn.askedForHuman) {
    extra += o.humanRequestWeight;
    signals.push('asked for a human');
  }
  if (turn.waitedMs !== undefined && turn.waitedMs > o.waitThresholdMs) {
    const share = Math.min(1, (turn.waitedMs - o.waitThresholdMs) / Math.max(1, o.waitFullMs - o.waitThresholdMs));
    extra += o.waitWeight * Math.max(share, 0.25);
    signals.push(`waited ${formatWait(turn.waitedMs)}`);
  }
  const cues = textCues(turn.text);
  if (cues.score > 0 && o.cueWeight > 0) {
    extra += o.cueWeight * cues.score;
    signals.push(...cues.reasons);
  }

  // Rounded: the turn is stored with the conversation on every turn, and digits past the
  // fourth change no level (levels are rounded to three).
  const remembered: RememberedTurn = { ...(turn.ts !== undefined ? { ts: turn.ts } : {}), score: round4(clampScore(turn.sentimentScore)), negativity: round4(negativity), extra: round4(extra), signals, tokens };
  const recent = [...previous.recent, remembered].slice(-o.historySize);
  const level = levelOf(recent, o);
  const delta = level - previous.level;
  const trend = previous.turns === 0 ? (level > o.trendEpsilon ? 'rising' : 'steady') : delta > o.trendEpsilon ? 'rising' : delta < -o.trendEpsilon ? 'falling' : 'steady';
  const next: FrustrationState = {
    level,
    trend,
    turns: previous.turns + 1,
    history: recent.map((r) => r.score),
    recent,
    fallbacksInARow,
    reasons: [],
  };
  next.reasons = explainFrustration(next, previous.level);
  return next;
}

/** The state before the first turn. */
export function initialFrustration(): FrustrationState {
  return { level: 0, trend: 'steady', turns: 0, history: [], recent: [], fallbacksInARow: 0, reasons: [] };
}

/**
 * The level from remembered turns: pressure = sum over turns of decay^age x (sentiment
 * pressure - calm + extra signals), then 1 - e^-pressure so it saturates below 1.
 */
export function levelOf(recent: readonly RememberedTurn[], options: FrustrationOptions = {}): number {
  const o = parseOptions(options);
  let pressure = 0;
  for (let age = 0; age < recent.length; age++) {
    const r = recent[recent.length - 1 - age];
    const calm = Math.max(0, r.score) * o.calmGain;
    pressure += o.decay ** age * (o.sentimentGain * r.negativity - calm + r.extra);
  }
  return round3(1 - Math.exp(-Math.max(0, pressure)));
}

/** Human-readable reasons, strongest first: the run of negative turns, other signals, the trend. */
function explainFrustration(s: FrustrationState, previousLevel: number): string[] {
  const reasons: string[] = [];
  // The current run of negative turns (negativity >= 0.5), newest backwards.
  let run = 0, sum = 0;
  for (let i = s.recent.length - 1; i >= 0 && s.recent[i].negativity >= 0.5; i--) { run++; sum += s.recent[i].negativity; }
  if (run > 0) reasons.push(`negative sentiment ${(sum / run).toFixed(2)} over ${run} turn${run > 1 ? 's' : ''}`);
  const seen = new Set<string>();
  for (let i = s.recent.length - 1; i >= 0; i--) {
    for (const signal of s.recent[i].signals) {
      const kind = signal.replace(/[\d.]+/g, '#');
      if (!seen.has(kind)) { seen.add(kind); reasons.push(signal); }
    }
  }
  if (s.trend !== 'steady' && s.turns > 1) reasons.push(`${s.trend}: ${previousLevel.toFixed(2)} -> ${s.level.toFixed(2)}`);
  return reasons;
}

function bestRepeat(tokens: string[], recent: readonly RememberedTurn[]): number {
  // One- or two-word replies ("yes", "order 123") repeat by nature; they are not a repeated question.
  if (tokens.length < 3) return 0;
  let best = 0;
  for (const r of recent) if (r.tokens.length >= 3) best = Math.max(best, jaccard(tokens, r.tokens));
  return best;
}

function formatWait(ms: number): string {
  const minutes = ms / 60_000;
  return minutes >= 1 ? `${Math.round(minutes)} min` : `${Math.round(ms / 1000)} s`;
}

const optionsCache = new WeakMap<object, Resolved>();
function parseOptions(options: FrustrationOptions): Resolved {
  const hit = optionsCache.get(options);
  if (hit) return hit;
  const parsed = FrustrationOptions.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid frustration option ${issue.path.join('.') || '(options)'}: ${issue.message}`);
  }
  optionsCache.set(options, parsed.data);
  return parsed.data;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const clampScore = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(-1, x)) : 0);
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
