import { randomUUID } from 'node:crypto';
import { redact } from '../privacy/redact.js';
import type { FeedbackEvent, StoredMessage } from '../store/types.js';

/**
 * Feedback events an agent creates from the console, built here so every one carries the
 * same things: the message text REDACTED, the prediction at the time and the model
 * versions, review 'pending'. Pure (ids and time are passed in or defaulted).
 */

export type AgentFeedback =
  | { kind: 'relabel-intent'; value: string }
  | { kind: 'relabel-sentiment'; value: 'negative' | 'neutral' | 'positive' }
  | { kind: 'wrong-answer'; value?: string };

/**
 * @example
 * feedbackFor(message, { kind: 'relabel-intent', value: 'late_delivery' }, 'ana')
 * // { kind: 'relabel-intent', value: 'late_delivery', text: 'my email is <email>', predicted: { intent: 'order_status', ... }, review: 'pending', ... }
 */
export function feedbackFor(message: StoredMessage, feedback: AgentFeedback, by: string, { id = randomUUID(), ts = Date.now(), about }: { id?: string; ts?: number; about?: StoredMessage } = {}): FeedbackEvent {
  // A wrong answer is about the bot's reply, but the training example is the customer
  // message it answered (`about`), whose prediction led to that reply.
  const source = about ?? message;
  const u = source.understanding;
  return {
    id,
    kind: feedback.kind,
    conversationId: message.conversationId,
    messageId: message.id,
    text: redact(source.text).text,
    ...(feedback.value !== undefined ? { value: feedback.value } : {}),
    ...(u ? { predicted: { intent: u.fallback ? 'fallback' : u.intent, sentiment: u.sentiment, confidence: u.intentConfidence } } : {}),
    ...(u ? { modelVersions: { intent: u.modelVersions.intent, sentiment: u.modelVersions.sentiment } } : {}),
    by,
    ts,
    review: 'pending',
  };
}
