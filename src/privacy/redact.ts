import { DEFAULT_TYPES, RedactOptions, type PiiSpan, type PiiType, type RedactResult } from './options.js';
import { detectAddresses, detectCards, detectEmails, detectIbans, detectIps, detectLongDigits, detectPhones, type Detector } from './detectors.js';

/**
 * Detector order is the tie-break on overlaps: the most specific, checksum-validated
 * shapes claim their characters first (an email's digits are never a phone; an IBAN's
 * digits are never a card; a street number is not the end of a phone number), and the
 * opt-in catch-all for long numbers goes last. Later detectors see the text with earlier
 * finds masked out, so two values written side by side are not read as one.
 */
const ORDER: ReadonlyArray<[PiiType, Detector]> = [
  ['email', detectEmails],
  ['iban', detectIbans],
  ['card', detectCards],
  ['ip', detectIps],
  ['address', detectAddresses],
  ['phone', detectPhones],
];

export type Redactor = (text: string) => RedactResult;

/**
 * Builds a redactor once for a set of options (validated with zod here, not per message).
 *
 * @example
 * const redactForLogs = createRedactor({ longDigits: { minLength: 8 } });
 * redactForLogs('account 1234 5678 9012, call +44 20 7946 0958').text
 * // "account <number>, call <phone>"
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const parsed = RedactOptions.parse(options);
  const types = new Set<PiiType>(parsed.types ?? DEFAULT_TYPES);
  const detectors: Detector[] = ORDER.filter(([type]) => types.has(type)).map(([, d]) => d);
  if (parsed.longDigits !== false && (parsed.types === undefined || types.has('number'))) detectors.push(detectLongDigits(parsed.longDigits.minLength));

  return (text) => {
    // Every detector needs a digit, an "@" or a colon (IPv6): most chat messages have none.
    if (!/[\d@:]/.test(text)) return { text, found: [] };
    const taken: PiiSpan[] = [];
    let masked = text;
    let maskedCount = 0;
    for (const detect of detectors) {
      if (taken.length > maskedCount) {
        masked = mask(text, taken);
        maskedCount = taken.length;
      }
      for (const span of detect(masked)) {
        if (span.end > span.start && !taken.some((t) => span.start < t.end && t.start < span.end)) taken.push(span);
      }
    }
    if (taken.length === 0) return { text, found: [] };
    taken.sort((a, b) => a.start - b.start);
    let out = '';
    let at = 0;
    for (const span of taken) {
      out += `${text.slice(at, span.start)}<${span.type}>`;
      at = span.end;
    }
    return { text: out + text.slice(at), found: taken };
  };
}

// Same length, so offsets stay valid; letters, so no number can continue into a masked span.
function mask(text: string, spans: readonly PiiSpan[]): string {
  let out = '';
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, span.start) + 'X'.repeat(span.end - span.start);
    at = span.end;
  }
  return out + text.slice(at);
}

const defaultRedactor = createRedactor();
const cache = new WeakMap<RedactOptions, Redactor>();

/**
 * Replaces personal data with typed placeholders (`<email>`, `<phone>`, `<card>`, `<iban>`,
 * `<address>`, `<ip>`, and `<number>` when `longDigits` is on) and reports what was found,
 * with offsets into the original text. Pure; options objects are validated once and cached.
 *
 * @example
 * redact('I am jane+shop@mail.example.com, card 4111 1111 1111 1111, order 48213')
 * // { text: 'I am <email>, card <card>, order 48213',
 * //   found: [{ type: 'email', start: 5, end: 31 }, { type: 'card', start: 38, end: 57 }] }
 */
export function redact(text: string, options?: RedactOptions): RedactResult {
  if (options === undefined) return defaultRedactor(text);
  let redactor = cache.get(options);
  if (!redactor) {
    redactor = createRedactor(options);
    cache.set(options, redactor);
  }
  return redactor(text);
}
