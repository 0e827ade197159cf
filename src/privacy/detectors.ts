import { isIPv6 } from 'node:net';
import { IBAN_LENGTHS, ibanValid, luhnValid } from './checksums.js';
import type { PiiSpan } from './options.js';

/**
 * One detector per kind of personal data. Each returns candidate spans in the original
 * text; `redact` resolves overlaps (earlier detectors in its list win). Detectors are
 * deliberately conservative: a number is only a phone, card or IBAN when its shape and
 * checksum say so, because false positives destroy the order numbers, prices and dates
 * the bot needs.
 */
export type Detector = (text: string) => PiiSpan[];

// ---------------------------------------------------------------- email

const EMAIL =
  /(?<![\w.%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])/g;

/** Emails, including plus-addressing and subdomains: `jane.doe+orders@mail.example.co.uk`. */
export const detectEmails: Detector = (text) => spans(text, EMAIL, 'email');

// ---------------------------------------------------------------- card

// Runs of digit groups separated by single spaces or dashes: the places a card can hide.
// Repetitions are bounded (here and below) so hostile input cannot make matching quadratic.
const DIGIT_RUN = /(?<![A-Za-z0-9_+]|\d[.,])\d+(?:[ \-]\d+){0,24}(?![A-Za-z0-9_]|[.,]\d)/g;

/** Card numbers are 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4, or written without separators. */
function cardShaped(groups: string[]): boolean {
  if (groups.length === 1) return true;
  const lengths = groups.map((g) => g.length);
  if (lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6 && (lengths[2] === 5 || lengths[2] === 4)) return true;
  return lengths.slice(0, -1).every((l) => l === 4) && lengths[lengths.length - 1] <= 4;
}

/**
 * Payment card numbers: 13-19 digits, issuer prefix 2-6 (Mastercard, Visa, Amex, Discover,
 * JCB, Diners, UnionPay), card-like grouping, and a valid Luhn check digit. A 16-digit number
 * that fails Luhn is not a card.
 */
export const detectCards: Detector = (text) => {
  const out: PiiSpan[] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    const groups: Array<{ digits: string; start: number }> = [];
    for (const g of run[0].matchAll(/\d+/g)) groups.push({ digits: g[0], start: run.index + g.index });
    for (let i = 0; i < groups.length; i++) {
      let best = -1;
      let digits = '';
      for (let j = i; j < groups.length && digits.length + groups[j].digits.length <= 19; j++) {
        digits += groups[j].digits;
        if (digits.length >= 13 && /^[2-6]/.test(digits) && cardShaped(groups.slice(i, j + 1).map((g) => g.digits)) && luhnValid(digits)) best = j;
      }
      if (best >= 0) {
        out.push({ type: 'card', start: groups[i].start, end: groups[best].start + groups[best].digits.length });
        i = best;
      }
    }
  }
  return out;
};

// ---------------------------------------------------------------- iban

const IBAN_START = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}/g;

/**
 * IBANs, compact or grouped by spaces (`DE89 3704 0044 0532 0130 00`), any case: known
 * country, the country's exact length, and mod-97 = 1.
 */
export const detectIbans: Detector = (text) => {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(IBAN_START)) {
    const expected = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    if (expected === undefined) continue;
    let compact = m[0].toUpperCase();
    let i = m.index + 4;
    while (compact.length < expected && i < text.length) {
      const c = text[i];
      if (/[A-Za-z0-9]/.test(c)) {
        compact += c.toUpperCase();
        i++;
      } else if (c === ' ' && i + 1 < text.length && /[A-Za-z0-9]/.test(text[i + 1])) {
        i++; // single spaces between groups
      } else break;
    }
    if (compact.length !== expected || (i < text.length && /[A-Za-z0-9]/.test(text[i]))) continue;
    if (ibanValid(compact)) out.push({ type: 'iban', start: m.index, end: i });
  }
  return out;
};

// ---------------------------------------------------------------- ip

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\d.])(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}(?![\\d]|\\.\\d)`, 'g');
const IPV6_CANDIDATE = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g;

/** IPv4 dotted quads (octets <= 255) and IPv6 addresses (validated by node:net). Times such as 10:30:15 are not IPv6. */
export const detectIps: Detector = (text) => {
  const out = spans(text, IPV4, 'ip');
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    const hexGroups = m[0].split(':').filter((g) => g.length > 0).length;
    if (isIPv6(m[0]) && hexGroups >= 2) out.push({ type: 'ip', start: m.index, end: m.index + m[0].length });
  }
  return out;
};

// ---------------------------------------------------------------- phone

// Digit groups joined by exactly one separator (space, dot, dash, or a parenthesised area
// code): "(555) 123-4567", "+44 (0)20 7946 0958". A sentence end (". ") or two separators
// end the candidate, so the next number in the message is not swallowed.
const PHONE_CANDIDATE = /(?<![\w@\/+.,\-$€£¥#]|\d:)(?:\+ ?)?\(?\d+(?:(?:\) ?| \(|\)?[.\-]| )\d+){0,10}(?![\w@\/%]|[.,:\-\/]\d)/g;
const PHONE_CONTEXT = /\b(?:call(?:ed)?|phone|tel|telephone|mobile|cell|cellphone|number|whats ?app|text|sms|reach|ring|contact|fax|landline)\b/i;
// "order 4821345678", "invoice no. 123-456-7890": a number named by what it is, not a phone.
const NAMED_NUMBER = /\b(?:order|invoice|account|acct|tracking|reference|ref|ticket|case|customer|receipt|confirmation|po|sku|item|parcel|shipment|transaction|booking|serial|model|member(?:ship)?)\b[^\w\n]{0,3}(?:(?:no|nr|number|num|id)\b\.?)?[\s#:.]*$/i;

function cardShapedRun(s: string): boolean {
  const groups = s.match(/\d+/g) ?? [];
  return !s.startsWith('+') && groups.length >= 4 && groups.slice(0, 4).every((g) => g.length === 4);
}

/**
 * Decides whether a candidate is a phone number. `before` is the text just before it
 * (context words such as "call me on" or "order" tip the balance).
 */
export function phoneLike(s: string, before: string): boolean {
  const digits = s.replace(/\D/g, '');
  const n = digits.length;
  if (n < 7 || n > 15) return false;
  if (/[.\-]{2}| {2}|[.\-] [.\-]/.test(s)) return false;
  const parens = s.match(/[()]/g)?.length ?? 0;
  const paren = /\((\d{1,5})\)/.exec(s);
  if (parens !== 0 && !(parens === 2 && paren)) return false;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(s)) return false; // an IP address
  if (/^\d{1,4}([.\-/ ])\d{1,2}\1\d{1,4}$/.test(s)) return false; // a date
  if (cardShapedRun(s)) return false;
  const international = s.startsWith('+') || /^00[1-9]/.test(s);
  if (international) return n >= 8;
  const context = PHONE_CONTEXT.test(before.slice(-40));
  if (NAMED_NUMBER.test(before.slice(-30))) return false;
  const separated = /\D/.test(s);
  if (n < 10) return context && separated;
  if (paren) return true;
  if (!separated) return digits.startsWith('0') || context;
  return true;
}

/**
 * Phone numbers in international and national formats: `+44 20 7946 0958`, `0044 20 7946 0958`,
 * `(555) 123-4567`, `555.123.4567`, `+49 30 1234567`, `07700 900123`; 7-9 digit local numbers
 * only after words such as "call" or "phone".
 */
export const detectPhones: Detector = (text) => {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    let s = m[0];
    let start = m.index;
    // A leading stray "(" without ")" is punctuation, not an area code.
    if (s.startsWith('(') && !s.includes(')')) {
      s = s.slice(1);
      start++;
    }
    // Card-shaped digits (4-4-4-4) that failed the card check are nobody's phone number either.
    if (cardShapedRun(s)) continue;
    // Try the whole candidate, then without leading space-separated groups ("3 0161 496 0000").
    for (let attempt = 0; attempt < 3; attempt++) {
      if (phoneLike(s, text.slice(Math.max(0, start - 40), start))) {
        out.push({ type: 'phone', start, end: start + s.length });
        break;
      }
      const cut = /^\d+ (?=[\d(+])/.exec(s);
      if (!cut) break;
      s = s.slice(cut[0].length);
      start += cut[0].length;
    }
  }
  return out;
};

// ---------------------------------------------------------------- address

const SUFFIXES =
  'Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Parkway|Pkwy|Way|Court|Ct|Place|Pl|Square|Sq|Terrace|Close|Crescent|Highway|Hwy|Circle|Cir|Trail|Row|Mews|Gardens|Grove|Walk|Plaza';
// "221B Baker Street", "1600 Amphitheatre Parkway", "350 5th Avenue"; case-insensitive, case checked in code.
const EN_STREET = new RegExp(
  `(?<![\\w.,/$€£#-])\\d{1,5}[A-Za-z]?(?:-\\d{1,5})?,?\\s+((?:(?:[A-Za-z][A-Za-z'’.-]*|\\d{1,3}(?:st|nd|rd|th))\\s+){1,4})(?:${SUFFIXES})\\b\\.?`,
  'gi',
);
const ci = (words: string[]): string => words.map((w) => `[${w[0].toUpperCase()}${w[0]}]${w.slice(1)}`).join('|');
const ROMANCE_TYPES = ci(['rue', 'avenue', 'boulevard', 'bd', 'place', 'chemin', 'allée', 'allee', 'impasse', 'quai', 'cours', 'calle', 'avenida', 'via', 'viale', 'piazza', 'corso', 'rua']);
const PARTICLE = "(?:de|du|des|la|le|les|d'|l'|del|della|dei|di|da|do|dos|el)";
// "12 rue de la Paix", "8 bis avenue Victor Hugo", "45 calle de Alcalá".
const ROMANCE_STREET = new RegExp(
  `(?<![\\p{L}\\p{N}])\\d{1,4}(?:\\s?(?:bis|ter))?,?\\s+(?:${ROMANCE_TYPES})\\s+(?:${PARTICLE}\\s*)*\\p{Lu}[\\p{L}'’-]*(?:\\s+(?:${PARTICLE}\\s*)*\\p{Lu}[\\p{L}'’-]*)*`,
  'gu',
);
// "Hauptstraße 5", "Lindenweg 12a".
const GERMAN_STREET = /(?<![\p{L}])\p{Lu}[\p{L}-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer)\s+\d{1,4}[a-z]?(?![\p{L}\p{N}])/gu;

const UK_POSTCODE = '[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}';
// After a street: optional flat/unit, optional city, then a postcode ("…, London NW1 6XE", "…, CA 94043-1351").
const CITY = "\\p{Lu}[\\p{L}.'-]+(?:\\s+\\p{Lu}[\\p{L}.'-]+){0,2}";
// After a street: a postcode with or without a city, or a flat/unit number. A bare 4-5 digit
// number is not enough (it may be the start of a phone number).
const AFTER_STREET = [
  new RegExp(`,?\\s+\\d{4,5}\\s+${CITY}`, 'uy'), // "…, 75002 Paris", "…, 10115 Berlin"
  new RegExp(`(?:,?\\s+${CITY})?,?\\s+(?:[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?|[A-Z]{2,3}\\s+\\d{4})(?![\\p{L}\\p{N}])`, 'uy'), // "…, Mountain View, CA 94043", "…, Sydney NSW 2000"
  new RegExp(`(?:,?\\s+${CITY})?,?\\s+(?:\\d{5}-\\d{4}|${UK_POSTCODE})(?![\\p{L}\\p{N}])`, 'uy'), // "…, London NW1 6XE"
  /,?\s*(?:Apt|Apartment|Flat|Suite|Ste|Unit)\.?\s*#?\s*[A-Za-z0-9-]+/uy,
];
const ADDRESS_CONTEXT = /\b(?:address|addr|live|living|lives|deliver(?:ed|y)?|ship(?:ped|ping)?|send|sent|moved|post ?code|postal|zip|located|residence|house|flat|apartment|home)\b/i;
// Lower-case "street" phrases must not be ordinary sentences ("3 days on the road").
const FUNCTION_WORDS = new Set(['the', 'a', 'an', 'on', 'in', 'at', 'of', 'to', 'for', 'my', 'your', 'our', 'their', 'this', 'that', 'and', 'or', 'by', 'from', 'with', 'is', 'was', 'it', 'days', 'weeks', 'hours', 'minutes', 'times', 'items', 'more', 'same', 'other', 'one', 'way', 'all', 'any', 'no', 'not']);
const POSTCODE_ALONE = new RegExp(`(?<![\\w-])(?:${UK_POSTCODE}|\\d{5}-\\d{4})(?![\\w-])`, 'g');
const ZIP_KEYWORD = /\b(?:post ?code|postal code|zip(?: ?code)?|plz|code postal)\b[^\w\n]{0,3}(?:is\s+)?$/i;

function extendAddress(text: string, end: number): number {
  for (const re of AFTER_STREET) {
    re.lastIndex = end;
    const m = re.exec(text);
    if (m) return extendAddress(text, end + m[0].length);
  }
  return end;
}

/**
 * Addresses where the shape is unmistakable: a house number and a street type ("221B Baker
 * Street", "12 rue de la Paix", "Hauptstraße 5"), extended over a following flat number,
 * city and postcode; and postcodes (UK, ZIP+4, or a 5-digit ZIP after "zip"/"postcode")
 * when the words around them speak of an address. Lower-case street phrases count only in
 * an address context.
 */
export const detectAddresses: Detector = (text) => {
  const out: PiiSpan[] = [];
  const sentenceHasContext = ADDRESS_CONTEXT.test(text);
  for (const m of text.matchAll(EN_STREET)) {
    const words = m[1].trim().split(/\s+/);
    const capitalised = words.every((w) => /^(?:\p{Lu}|\d)/u.test(w));
    if (!capitalised && (!sentenceHasContext || words.length > 2 || words.some((w) => FUNCTION_WORDS.has(w.toLowerCase())))) continue;
    out.push({ type: 'address', start: m.index, end: extendAddress(text, m.index + m[0].length) });
  }
  for (const re of [ROMANCE_STREET, GERMAN_STREET]) {
    for (const m of text.matchAll(re)) out.push({ type: 'address', start: m.index, end: extendAddress(text, m.index + m[0].length) });
  }
  for (const m of text.matchAll(POSTCODE_ALONE)) {
    if (ADDRESS_CONTEXT.test(text.slice(Math.max(0, m.index - 60), m.index))) out.push({ type: 'address', start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(/(?<![\w-])\d{5}(?![\w-])/g)) {
    if (ZIP_KEYWORD.test(text.slice(Math.max(0, m.index - 20), m.index))) out.push({ type: 'address', start: m.index, end: m.index + 5 });
  }
  return out;
};

// ---------------------------------------------------------------- long digit runs

/**
 * Other long digit runs (account, customer, order numbers) of at least `minLength` digits,
 * grouped by dashes or by spaces between groups of 3 or more ("1234 5678 9012"). Opt-in.
 */
export function detectLongDigits(minLength: number): Detector {
  const re = /(?<![\w.,])\d+(?:(?:-\d+)|(?: \d{3,}))*(?![\w]|[.,]\d)/g;
  return (text) => {
    const out: PiiSpan[] = [];
    for (const m of text.matchAll(re)) {
      if (m[0].replace(/\D/g, '').length >= minLength) out.push({ type: 'number', start: m.index, end: m.index + m[0].length });
    }
    return out;
  };
}

function spans(text: string, re: RegExp, type: PiiSpan['type']): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(re)) out.push({ type, start: m.index, end: m.index + m[0].length });
  return out;
}
