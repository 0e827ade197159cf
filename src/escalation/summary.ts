/** One line of a conversation, as the summary needs it. */
export interface SummaryItem {
  role: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  intent?: string;
  /** p(positive) - p(negative) of a customer message, in [-1, 1]. */
  sentimentScore?: number;
}

export interface SummaryFacts {
  /** Intents the customer raised, first mention order, without small talk and fallbacks. */
  intents: string[];
  answered: number;
  fellBack: number;
  mood?: { from: Mood; to: Mood; lastScore: number };
}

type Mood = 'negative' | 'neutral' | 'positive';

// Small talk says nothing about what the customer needs.
const SMALL_TALK = new Set(['greeting', 'goodbye', 'thanks', 'affirm', 'deny', 'who_are_you', 'fallback', 'oos']);

const mood = (score: number): Mood => (score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral');
const signed = (x: number): string => `${x < 0 ? '\u2212' : x > 0 ? '+' : ''}${Math.abs(x).toFixed(1)}`;

/**
 * The numbers behind `summarize`: a customer turn counts as answered when it was understood
 * as a real request (not `fallback`, not small talk such as greeting or thanks) and the bot
 * replied before the customer spoke again.
 */
export function summaryFacts(messages: readonly SummaryItem[]): SummaryFacts {
  const intents: string[] = [];
  let answered = 0;
  let fellBack = 0;
  const scores: number[] = [];
  messages.forEach((m, i) => {
    if (m.role !== 'customer') return;
    if (m.sentimentScore !== undefined) scores.push(m.sentimentScore);
    if (m.intent === undefined) return;
    if (m.intent === 'fallback') {
      fellBack++;
      return;
    }
    if (SMALL_TALK.has(m.intent)) return;
    if (!intents.includes(m.intent)) intents.push(m.intent);
    const next = messages.slice(i + 1).find((n) => n.role !== 'system');
    if (next?.role === 'bot') answered++;
  });
  const facts: SummaryFacts = { intents, answered, fellBack };
  if (scores.length > 0) facts.mood = { from: mood(scores[0]), to: mood(scores[scores.length - 1]), lastScore: scores[scores.length - 1] };
  return facts;
}

/**
 * A one-line summary for the agent who picks up the conversation.
 *
 * @example
 * summarize([
 *   { role: 'customer', text: 'where is my order', intent: 'order_status', sentimentScore: 0 },
 *   { role: 'bot', text: 'It shipped on Monday.' },
 *   { role: 'customer', text: 'it is 5 days late', intent: 'late_delivery', sentimentScore: -0.5 },
 *   { role: 'bot', text: 'Sorry about that...' },
 *   { role: 'customer', text: 'useless!!', intent: 'fallback', sentimentScore: -0.8 },
 * ])
 * // "Customer asked about order_status, late_delivery; bot answered 2x, fell back 1x; mood neutral → negative (−0.8)"
 */
export function summarize(messages: readonly SummaryItem[]): string {
  const f = summaryFacts(messages);
  const parts = [f.intents.length ? `Customer asked about ${f.intents.join(', ')}` : 'Customer did not state a clear request'];
  parts.push(`bot answered ${f.answered}x, fell back ${f.fellBack}x`);
  if (f.mood) parts.push(f.mood.from === f.mood.to ? `mood ${f.mood.to} (${signed(f.mood.lastScore)})` : `mood ${f.mood.from} \u2192 ${f.mood.to} (${signed(f.mood.lastScore)})`);
  return parts.join('; ');
}
