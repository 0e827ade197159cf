import { describe, expect, it } from 'vitest';
import { feedbackFor } from '../../src/console/feedback.js';
import { originAllowed } from '../../src/console/socket.js';
import { buildView, summaryOf } from '../../src/console/view.js';
import type { Conversation, StoredMessage, StoredUnderstanding } from '../../src/store/types.js';

const understanding: StoredUnderstanding = {
  intent: 'order_status', intentConfidence: 0.82, fallback: false, ambiguous: false, alternatives: [{ label: 'order_status', confidence: 0.82 }],
  sentiment: 'negative', sentimentScore: -0.7, sentimentConfidence: 0.8, explanation: { intent: [], sentiment: [] },
  modelVersions: { intent: 'intent-v1', sentiment: 'sentiment-v1' },
};
const msg = (patch: Partial<StoredMessage>): StoredMessage => ({ id: 'm1', seq: 1, conversationId: 'c1', channel: 'webchat', role: 'customer', from: 'cust', text: 'hi', ts: 1, ...patch });

describe('socket origin check', () => {
  it('allows the server itself and listed origins only', () => {
    expect(originAllowed('http://127.0.0.1:3000', '127.0.0.1:3000', [])).toBe(true);
    expect(originAllowed('https://support.example.com', 'support.example.com', [])).toBe(true);
    expect(originAllowed('http://evil.example', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:3001', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('https://admin.example.com', 'api.example.com', ['https://admin.example.com'])).toBe(true);
    expect(originAllowed(undefined, '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('null', '127.0.0.1:3000', [])).toBe(false);
  });
});

describe('feedbackFor', () => {
  it('redacts the text and keeps the prediction and model versions', () => {
    const event = feedbackFor(msg({ text: 'call me on +44 20 7946 0958', understanding }), { kind: 'relabel-intent', value: 'late_delivery' }, 'ana', { id: 'f1', ts: 5 });
    expect(event).toEqual({
      id: 'f1', kind: 'relabel-intent', conversationId: 'c1', messageId: 'm1', text: 'call me on <phone>', value: 'late_delivery',
      predicted: { intent: 'order_status', sentiment: 'negative', confidence: 0.82 }, modelVersions: { intent: 'intent-v1', sentiment: 'sentiment-v1' },
      by: 'ana', ts: 5, review: 'pending',
    });
  });

  it('takes the training text of a wrong answer from the customer message it answered', () => {
    const asked = msg({ id: 'q', text: 'where is my parcel, ana@example.com', understanding });
    const reply = msg({ id: 'r', role: 'bot', from: 'bot', text: 'It shipped.', replyTo: 'q' });
    const event = feedbackFor(reply, { kind: 'wrong-answer' }, 'ben', { about: asked });
    expect(event).toMatchObject({ kind: 'wrong-answer', messageId: 'r', text: 'where is my parcel, <email>', predicted: { intent: 'order_status' } });
    expect(event.value).toBeUndefined();
  });
});

describe('conversation view', () => {
  it('summarises what the customer saw (notes left out) and marks fallbacks', () => {
    const messages = [
      msg({ id: 'a', seq: 1, text: 'where is my order', understanding: { ...understanding, sentimentScore: 0 } }),
      msg({ id: 'b', seq: 2, role: 'bot', from: 'bot', text: 'It shipped on Monday.' }),
      msg({ id: 'c', seq: 3, role: 'agent', from: 'ana', text: 'VIP', internal: true }),
      msg({ id: 'd', seq: 4, text: 'useless!!', understanding: { ...understanding, intent: 'complaint', fallback: true, sentimentScore: -0.8 } }),
    ];
    expect(summaryOf(messages)).toBe('Customer asked about order_status; bot answered 1x, fell back 1x; mood neutral \u2192 negative (\u22120.8)');
    const conversation: Conversation = { id: 'c1', channel: 'webchat', customerId: 'cust', owner: 'queued', priority: 40, createdAt: 0, updatedAt: 0, attributes: {}, state: { snapshot: { frustration: { level: 0.7, trend: 'rising', reasons: ['negative sentiment 0.88 over 2 turns', 'repeated the same question (similarity 0.83)'] } } }, escalationReason: 'why' };
    const view = buildView(conversation, messages, []);
    expect(view.conversation).toMatchObject({ id: 'c1', owner: 'queued', escalationReason: 'why', frustration: 0.7, frustrationTrend: 'rising', frustrationReasons: ['negative sentiment 0.88 over 2 turns', 'repeated the same question (similarity 0.83)'] });
    expect(view.messages.map((m) => m.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(view.messages[2].internal).toBe(true);
    expect('state' in view.conversation).toBe(false);
  });
});
