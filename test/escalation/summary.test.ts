import { describe, expect, it } from 'vitest';
import { summarize, summaryFacts, type SummaryItem } from '../../src/escalation/summary.js';

const conversation: SummaryItem[] = [
  { role: 'customer', text: 'hi', intent: 'greeting', sentimentScore: 0.1 },
  { role: 'bot', text: 'Hello! How can I help?' },
  { role: 'customer', text: 'where is my order', intent: 'order_status', sentimentScore: 0 },
  { role: 'bot', text: 'It shipped on Monday.' },
  { role: 'customer', text: 'it is 5 days late', intent: 'late_delivery', sentimentScore: -0.5 },
  { role: 'system', text: 'typing' },
  { role: 'bot', text: 'Sorry about that...' },
  { role: 'customer', text: 'where is my order', intent: 'order_status', sentimentScore: -0.4 },
  { role: 'bot', text: 'It shipped on Monday.' },
  { role: 'customer', text: 'blah useless!!', intent: 'fallback', sentimentScore: -0.8 },
];

describe('summarize', () => {
  it('lists intents once, counts answers and fallbacks, and shows how the mood moved', () => {
    expect(summarize(conversation)).toBe('Customer asked about order_status, late_delivery; bot answered 3x, fell back 1x; mood neutral → negative (−0.8)');
  });

  it('counts a turn as answered only when the bot replied before the customer spoke again', () => {
    const facts = summaryFacts([
      { role: 'customer', text: 'a', intent: 'order_status' },
      { role: 'customer', text: 'b', intent: 'return_refund' },
      { role: 'bot', text: 'refund info' },
    ]);
    expect(facts).toMatchObject({ intents: ['order_status', 'return_refund'], answered: 1, fellBack: 0 });
  });

  it('handles an unclear conversation without sentiment', () => {
    expect(summarize([{ role: 'customer', text: '???', intent: 'fallback' }, { role: 'bot', text: 'Sorry?' }])).toBe('Customer did not state a clear request; bot answered 0x, fell back 1x');
    expect(summarize([{ role: 'customer', text: 'thanks', intent: 'thanks', sentimentScore: 0.8 }])).toBe('Customer did not state a clear request; bot answered 0x, fell back 0x; mood positive (+0.8)');
  });
});
