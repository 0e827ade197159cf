import type { Task } from '../nlu/types.js';
import type { FeedbackEvent, StoredUnderstanding } from '../store/types.js';

/** The label a classifier gives below its threshold; never a training label. */
const FALLBACK = 'fallback';

/** One message waiting for a human label, with why it is worth the admin's time. */
export interface ReviewItem {
  id: string;
  kind: FeedbackEvent['kind'];
  task: Task;
  text: string;
  conversationId: string;
  messageId?: string;
  predicted?: FeedbackEvent['predicted'];
  /** What accepting would label it: an agent's relabel, or the model's guess; absent when a label must be picked. */
  proposed?: string;
  priority: number;
  reasons: string[];
  by: string;
  ts: number;
}

/** Which classifier a feedback event teaches: sentiment relabels teach sentiment, the rest intent. */
export function taskOf(event: Pick<FeedbackEvent, 'kind'>): Task {
  return event.kind === 'relabel-sentiment' ? 'sentiment' : 'intent';
}

/**
 * The label "accept" means for an event: an agent's relabel, the prediction a customer gave a
 * thumbs up, or the model's (non-fallback) guess for a fallback. Undefined when the admin must
 * pick one (thumbs down, wrong answer, a fallback without a guess).
 *
 * @example proposedLabel({ kind: 'relabel-intent', value: 'cancel_order', ... }) // 'cancel_order'
 */
export function proposedLabel(event: Pick<FeedbackEvent, 'kind' | 'value' | 'predicted'>): string | undefined {
  const guess = taskOf(event) === 'sentiment' ? event.predicted?.sentiment : event.predicted?.intent;
  switch (event.kind) {
    case 'relabel-intent':
    case 'relabel-sentiment':
      return event.value || undefined;
    case 'thumbs':
      return event.value === 'up' && guess && guess !== FALLBACK ? guess : undefined;
    case 'fallback':
      return guess && guess !== FALLBACK ? guess : undefined;
    default:
      return undefined;
  }
}

export interface PriorityOptions {
  /** Below this confidence a prediction counts as low (default 0.6). */
  lowConfidence?: number;
  /** Below this top-2 margin a prediction counts as ambiguous (default 0.1). */
  ambiguityMargin?: number;
}

/**
 * How much a human label would teach, with the reasons shown to the admin. Pure. Weights:
 * an agent disagreeing with the model (4) and a fallback or a thumbs down (3) say the model
 * was wrong; ambiguity (2) and low confidence (up to 2) say it was unsure.
 *
 * @example reviewPriority({ kind: 'thumbs', value: 'down', predicted: { intent: 'refund', confidence: 0.4 } })
 * // { priority: 4.2, reasons: ['thumbs down', 'low confidence 0.40'] }
 */
export function reviewPriority(
  event: Pick<FeedbackEvent, 'kind' | 'value' | 'predicted'>,
  understanding?: Pick<StoredUnderstanding, 'ambiguous' | 'alternatives'>,
  { lowConfidence = 0.6, ambiguityMargin = 0.1 }: PriorityOptions = {},
): { priority: number; reasons: string[] } {
  let priority = 0;
  const reasons: string[] = [];
  const guess = taskOf(event) === 'sentiment' ? event.predicted?.sentiment : event.predicted?.intent;
  if ((event.kind === 'relabel-intent' || event.kind === 'relabel-sentiment') && event.value && guess && event.value !== guess) {
    priority += 4;
    reasons.push(`agent says ${event.value}, model said ${guess}`);
  }
  if (event.kind === 'fallback') { priority += 3; reasons.push('fallback'); }
  if (event.kind === 'thumbs' && event.value === 'down') { priority += 3; reasons.push('thumbs down'); }
  if (event.kind === 'wrong-answer') { priority += 3; reasons.push('wrong answer'); }
  const alternatives = understanding?.alternatives ?? [];
  const margin = alternatives.length >= 2 ? alternatives[0].confidence - alternatives[1].confidence : undefined;
  if (understanding?.ambiguous || (margin !== undefined && margin < ambiguityMargin)) {
    priority += 2;
    reasons.push(margin !== undefined ? `ambiguous (margin ${margin.toFixed(2)})` : 'ambiguous');
  }
  const confidence = event.predicted?.confidence;
  if (confidence !== undefined && confidence < lowConfidence) {
    priority += 2 * (1 - confidence);
    reasons.push(`low confidence ${confidence.toFixed(2)}`);
  }
  return { priority: Math.round(priority * 1000) / 1000, reasons };
}

/** Feedback kinds that carry a message worth labelling (escalation outcomes do not). */
export const REVIEWABLE_KINDS: ReadonlyArray<FeedbackEvent['kind']> = ['thumbs', 'relabel-intent', 'relabel-sentiment', 'wrong-answer', 'fallback'];

/**
 * Orders pending feedback for review: highest priority first, then oldest first (so nothing
 * waits forever among equals). Events without text cannot be labelled and are left out.
 *
 * @example buildReviewQueue(await store.listFeedback({ review: 'pending' }), { limit: 100 })
 */
export function buildReviewQueue(
  events: readonly FeedbackEvent[],
  { limit = 100, understandingOf, ...options }: PriorityOptions & { limit?: number; understandingOf?: (e: FeedbackEvent) => StoredUnderstanding | undefined } = {},
): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const e of events) {
    if (e.review !== 'pending' || !e.text || !REVIEWABLE_KINDS.includes(e.kind)) continue;
    const { priority, reasons } = reviewPriority(e, understandingOf?.(e), options);
    const proposed = proposedLabel(e);
    items.push({
      id: e.id, kind: e.kind, task: taskOf(e), text: e.text, conversationId: e.conversationId,
      ...(e.messageId ? { messageId: e.messageId } : {}),
      ...(e.predicted ? { predicted: e.predicted } : {}),
      ...(proposed ? { proposed } : {}),
      priority, reasons, by: e.by, ts: e.ts,
    });
  }
  items.sort((a, b) => b.priority - a.priority || a.ts - b.ts || a.id.localeCompare(b.id));
  return items.slice(0, limit);
}
