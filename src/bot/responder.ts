import type { IntentSet } from '../training/intents.js';
import type { QuickReply } from './activity.js';
import type { Understanding } from './understand.js';

/** What the bot can say per intent, read from intents/. */
export interface ResponseCatalog {
  intents: Map<string, { responses: Array<{ text: string; quickReplies?: QuickReply[] }>; title: string; example: string }>;
}

/** One bot reply and why it was chosen. */
export interface Reply {
  kind: 'answer' | 'clarify' | 'fallback';
  text: string;
  quickReplies?: QuickReply[];
}

/** Short human titles for the clarifying question's buttons; anything else is derived from the name. */
const TITLES: Record<string, string> = {
  order_status: 'Order status',
  track_package: 'Track my parcel',
  cancel_order: 'Cancel an order',
  change_order: 'Change an order',
  return_refund: 'Return or refund',
  damaged_item: 'Damaged item',
  wrong_item: 'Wrong item',
  late_delivery: 'Late delivery',
  change_address: 'Change address',
  payment_failed: 'Payment failed',
  billing_question: 'Billing question',
  invoice_request: 'Get an invoice',
  discount_code: 'Discount code',
  gift_card: 'Gift card',
  account_login: 'Cannot log in',
  reset_password: 'Reset password',
  delete_account: 'Delete account',
  product_availability: 'Product in stock?',
  store_hours: 'Opening hours',
  shipping_costs: 'Shipping costs',
  international_shipping: 'Shipping abroad',
  warranty: 'Warranty',
  talk_to_human: 'Talk to a person',
  complaint: 'Make a complaint',
};

/** What the fallback offers: the most asked-for topics and a way out to a person. */
const FALLBACK_OPTIONS = ['order_status', 'return_refund', 'reset_password', 'talk_to_human'];

/**
 * Builds the catalog from a loaded intents folder. A quick reply's value is what the
 * customer "says" when clicking it, so the clarifying buttons send the intent's first
 * example, which the model is sure to understand.
 */
export function responseCatalog(set: IntentSet): ResponseCatalog {
  const intents: ResponseCatalog['intents'] = new Map();
  for (const intent of set.intents) {
    intents.set(intent.name, {
      responses: intent.responses.map((r) => ({ text: r.text, ...(r.quickReplies?.length ? { quickReplies: r.quickReplies.map(({ title, value }) => ({ title, value })) } : {}) })),
      title: TITLES[intent.name] ?? titleOf(intent.name),
      example: intent.examples[0],
    });
  }
  return { intents };
}

/**
 * Chooses the bot's reply to an understood message:
 * - out of scope / not confident: a fallback that says so and offers options (after two in
 *   a row it offers a person first);
 * - two intents too close to call: a clarifying question with both as quick replies;
 * - otherwise the intent's response; `variant` rotates between an intent's responses so a
 *   customer asking twice does not get the very same words.
 *
 * @example respond(catalog, u, { variant: 0, fallbacksInARow: 0 }) // { kind: 'answer', text: 'I can check that for you...' }
 */
export function respond(catalog: ResponseCatalog, u: Understanding, { variant = 0, fallbacksInARow = 0 }: { variant?: number; fallbacksInARow?: number } = {}): Reply {
  const entry = catalog.intents.get(u.stored.intent);
  if (u.stored.fallback || !entry) return fallback(catalog, fallbacksInARow);
  if (u.stored.ambiguous) {
    const [a, b] = u.intent.ranking.map((r) => catalog.intents.get(r.label) && { label: r.label, ...catalog.intents.get(r.label)! }).filter((x) => x !== undefined);
    if (a && b) {
      return {
        kind: 'clarify',
        text: `Just to be sure I understood: is it about ${lower(a.title)} or ${lower(b.title)}?`,
        quickReplies: [a, b].map((x) => ({ title: x.title, value: x.example })),
      };
    }
  }
  const response = entry.responses[variant % entry.responses.length];
  return { kind: 'answer', text: response.text, ...(response.quickReplies ? { quickReplies: response.quickReplies } : {}) };
}

function fallback(catalog: ResponseCatalog, fallbacksInARow: number): Reply {
  const options = (fallbacksInARow >= 2 ? ['talk_to_human', ...FALLBACK_OPTIONS.filter((o) => o !== 'talk_to_human')] : FALLBACK_OPTIONS)
    .map((name) => catalog.intents.get(name))
    .filter((x) => x !== undefined)
    .map((x) => ({ title: x.title, value: x.example }));
  const text = fallbacksInARow >= 2
    ? "I'm sorry, I still didn't understand. Would you like to talk to a person? Or pick one of these topics."
    : "Sorry, I didn't quite get that. I can help with orders, returns, payments and your account. Could you rephrase, or pick one of these?";
  return { kind: 'fallback', text, ...(options.length ? { quickReplies: options } : {}) };
}

function titleOf(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const lower = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
