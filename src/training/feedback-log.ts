import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { redact, type RedactOptions } from '../privacy/index.js';
import type { FeedbackEvent, FeedbackStore } from '../store/types.js';

/**
 * What a caller (engine, console, bench) knows about a piece of feedback. `id`, `ts` and
 * `review` get defaults; the text is always redacted here, never by the caller.
 */
export const FeedbackInput = z.object({
  id: z.string().min(1).max(200).optional(),
  kind: z.enum(['thumbs', 'relabel-intent', 'relabel-sentiment', 'wrong-answer', 'escalation-outcome', 'fallback']),
  conversationId: z.string().min(1).max(200),
  messageId: z.string().min(1).max(200).optional(),
  text: z.string().max(4000).optional(),
  value: z.string().max(200).optional(),
  predicted: z.object({ intent: z.string().optional(), sentiment: z.string().optional(), confidence: z.number().min(0).max(1).optional() }).optional(),
  modelVersions: z.object({ intent: z.string().optional(), sentiment: z.string().optional() }).optional(),
  by: z.string().min(1).max(200),
  ts: z.number().int().nonnegative().optional(),
  review: z.enum(['pending', 'accepted', 'corrected', 'discarded']).optional(),
  reviewLabel: z.string().optional(),
  reviewedBy: z.string().optional(),
});
export type FeedbackInput = z.input<typeof FeedbackInput>;

export interface RecordFeedbackOptions {
  /** Redaction options from the configuration; default: the redactor's defaults. */
  redaction?: RedactOptions;
}

/**
 * Validates, redacts and stores one feedback event: the single way feedback enters the
 * store, so no path can skip redaction. Returns the event as stored.
 *
 * @example
 * await recordFeedback(store, { kind: 'fallback', conversationId: 'c1', messageId: 'm7',
 *   text: 'mail me at ann@example.com', predicted: { intent: 'fallback', confidence: 0.21 },
 *   modelVersions: { intent: 'intent-20261128-121500-ab12cd' }, by: 'bot' });
 * // stored text: 'mail me at <email>'
 */
export async function recordFeedback(store: Pick<FeedbackStore, 'addFeedback'>, input: FeedbackInput, options: RecordFeedbackOptions = {}): Promise<FeedbackEvent> {
  const parsed = FeedbackInput.parse(input);
  const event: FeedbackEvent = {
    ...parsed,
    id: parsed.id ?? randomUUID(),
    ts: parsed.ts ?? Date.now(),
    review: parsed.review ?? 'pending',
    ...(parsed.text !== undefined ? { text: redact(parsed.text, options.redaction).text } : {}),
  };
  await store.addFeedback(event);
  return event;
}
