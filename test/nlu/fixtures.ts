import type { LabelledText } from '../../src/nlu/types.js';

/** A small synthetic customer-service data set: 4 intents x 12 phrasings, built from templates. */
export function tinyIntents(): LabelledText[] {
  const intents: Record<string, string[]> = {
    order_status: ['where is my order', 'status of my order', 'has my order shipped', 'when will my order arrive', 'order not here yet', 'check my order please'],
    return_refund: ['i want a refund', 'how do i return this', 'refund my money', 'return policy for items', 'send it back for a refund', 'can i get my money back'],
    reset_password: ['i forgot my password', 'reset my password', 'cannot log in password wrong', 'change my password please', 'password reset link', 'lost my password'],
    store_hours: ['when do you open', 'what are your opening hours', 'are you open on sunday', 'store hours today', 'what time do you close', 'opening times of the shop'],
  };
  const prefixes = ['', 'hello, '];
  const out: LabelledText[] = [];
  for (const [label, texts] of Object.entries(intents)) for (const p of prefixes) for (const t of texts) out.push({ text: p + t, label });
  return out;
}
