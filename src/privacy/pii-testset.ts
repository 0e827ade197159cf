import { ibanCheckDigits, luhnCheckDigit } from './checksums.js';
import type { PiiSpan, PiiType } from './options.js';
import { mulberry32 } from '../nlu/classifier/prng.js';

/**
 * A seeded generator of realistic customer messages with planted personal data and the
 * ground-truth span of every planted value. Used by test/privacy and bench/redaction.ts
 * to measure recall per type; the messages also carry prices, dates, times, quantities
 * and order numbers, which must survive redaction.
 */

export interface PiiTestCase {
  text: string;
  /** Planted values, in order of position. */
  spans: PiiSpan[];
  /** Non-PII numbers planted on purpose (prices, dates, order numbers): must not be redacted. */
  distractors: Array<{ start: number; end: number }>;
}

export type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => String(int(rng, 0, 9))).join('');
const letters = (rng: Rng, n: number): string => Array.from({ length: n }, () => String.fromCharCode(65 + int(rng, 0, 25))).join('');
const group = (s: string, sizes: number[], sep: string): string => {
  const out: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= s.length) break;
    out.push(s.slice(at, at + size));
    at += size;
  }
  if (at < s.length) out.push(s.slice(at));
  return out.join(sep);
};

// ---------------------------------------------------------------- values

const FIRST = ['jane', 'john', 'maria', 'li', 'ahmed', 'sofia', 'lukas', 'chloe', 'raj', 'emma', 'olu', 'yuki', 'pierre', 'ana', 'tom'];
const LAST = ['doe', 'smith', 'garcia', 'wang', 'khan', 'rossi', 'muller', 'martin', 'patel', 'jones', 'okafor', 'tanaka', 'dubois', 'silva'];
const DOMAINS = ['example.com', 'mail.example.co.uk', 'shop-mail.org', 'gmail.com', 'outlook.fr', 'uni.example.edu', 'sub.dept.example.de', 'company.io', 'post.example.net', 'web.de'];

function email(rng: Rng): string {
  const f = pick(rng, FIRST);
  const l = pick(rng, LAST);
  const local = pick(rng, [
    `${f}.${l}`, `${f}_${l}`, `${f}${l}`, `${f}+orders`, `${f}.${l}+${pick(rng, ['shop', 'news', 'returns2026'])}`,
    `${f[0]}.${l}${int(rng, 1, 99)}`, `${l}-${f}`, `${f}${int(rng, 1980, 2005)}`,
  ]);
  const value = `${local}@${pick(rng, DOMAINS)}`;
  return rng() < 0.1 ? value.toUpperCase() : rng() < 0.1 ? value[0].toUpperCase() + value.slice(1) : value;
}

function phone(rng: Rng): string {
  const area = `${int(rng, 2, 9)}${digits(rng, 2)}`;
  const exch = `${int(rng, 2, 9)}${digits(rng, 2)}`;
  const line = digits(rng, 4);
  const ukMobile = `7${digits(rng, 3)}`;
  const ukRest = digits(rng, 6);
  const london = `${int(rng, 3, 8)}${digits(rng, 3)} ${digits(rng, 4)}`;
  const de = `${int(rng, 1, 9)}${digits(rng, int(rng, 5, 7))}`;
  const fr = Array.from({ length: 4 }, () => digits(rng, 2));
  const frFirst = pick(rng, ['1', '6', '7', '4']);
  return pick(rng, [
    `(${area}) ${exch}-${line}`, `${area}.${exch}.${line}`, `${area}-${exch}-${line}`, `${area} ${exch} ${line}`,
    `+1 ${area} ${exch} ${line}`, `+1-${area}-${exch}-${line}`, `+1 (${area}) ${exch}-${line}`, `1-${area}-${exch}-${line}`,
    `+44 20 ${london}`, `+44 (0)20 ${london}`, `020 ${london}`, `0044 20 ${london}`, `0${ukMobile} ${ukRest}`,
    `+44 ${ukMobile} ${ukRest}`, `+44${ukMobile}${ukRest}`, `0${ukMobile}${ukRest}`,
    `+49 30 ${de}`, `+49 (0)30 ${de}`, `030 ${de}`, `0049 30 ${de}`, `+49 170 ${digits(rng, 7)}`,
    `+33 ${frFirst} ${fr.join(' ')}`, `0${frFirst} ${fr.join(' ')}`, `0${frFirst}.${fr.join('.')}`,
    `+91 ${int(rng, 6, 9)}${digits(rng, 4)} ${digits(rng, 5)}`, `+61 2 ${digits(rng, 4)} ${digits(rng, 4)}`,
    `+34 ${int(rng, 6, 7)}${digits(rng, 2)} ${digits(rng, 3)} ${digits(rng, 3)}`, `+31 20 ${digits(rng, 3)} ${digits(rng, 4)}`,
  ]);
}

function cardNumber(rng: Rng): { number: string; sizes: number[] } {
  const kind = pick(rng, ['visa', 'visa', 'mc', 'mc2', 'amex', 'discover', 'visa19', 'visa13', 'jcb']);
  const prefixes: Record<string, [string, number]> = {
    visa: [`4${digits(rng, 5)}`, 16], mc: [`5${int(rng, 1, 5)}${digits(rng, 4)}`, 16], mc2: [`2${int(rng, 221, 720)}${digits(rng, 2)}`, 16],
    amex: [`3${pick(rng, ['4', '7'])}${digits(rng, 4)}`, 15], discover: [`6011${digits(rng, 2)}`, 16], visa19: [`4${digits(rng, 5)}`, 19],
    visa13: [`4${digits(rng, 5)}`, 13], jcb: [`35${int(rng, 28, 89)}${digits(rng, 2)}`, 16],
  };
  const [prefix, length] = prefixes[kind];
  const partial = prefix + digits(rng, length - prefix.length - 1);
  return { number: partial + luhnCheckDigit(partial), sizes: kind === 'amex' ? [4, 6, 5] : [4, 4, 4, 4, 4] };
}

function card(rng: Rng): string {
  const { number, sizes } = cardNumber(rng);
  if (number.length === 13) return number;
  return pick(rng, [group(number, sizes, ' '), group(number, sizes, ' '), group(number, sizes, '-'), number]);
}

const BBAN: Record<string, (rng: Rng) => string> = {
  DE: (r) => digits(r, 18), GB: (r) => letters(r, 4) + digits(r, 14), FR: (r) => digits(r, 23), ES: (r) => digits(r, 20),
  NL: (r) => letters(r, 4) + digits(r, 10), IT: (r) => letters(r, 1) + digits(r, 22), BE: (r) => digits(r, 12), CH: (r) => digits(r, 17),
  AT: (r) => digits(r, 16), PL: (r) => digits(r, 24), IE: (r) => letters(r, 4) + digits(r, 14),
};

function iban(rng: Rng): string {
  const country = pick(rng, Object.keys(BBAN));
  const bban = BBAN[country](rng);
  const compact = `${country}${ibanCheckDigits(country, bban)}${bban}`;
  const r = rng();
  if (r < 0.55) return group(compact, Array(9).fill(4), ' ');
  if (r < 0.9) return compact;
  return compact.toLowerCase();
}

const STREETS = ['Baker', 'Oak', 'Maple', 'Amphitheatre', 'Evergreen', 'High', 'Church', 'Station', 'Victoria', 'King George', 'Elm', 'Sunset', 'Mill', 'Park'];
const SUFFIX = ['Street', 'St', 'Road', 'Rd', 'Avenue', 'Ave', 'Lane', 'Drive', 'Parkway', 'Way', 'Close', 'Terrace', 'Boulevard', 'Court'];

function ukPostcode(rng: Rng): string {
  return pick(rng, [`${letters(rng, 2)}${int(rng, 1, 9)}${letters(rng, 1)} ${int(rng, 1, 9)}${letters(rng, 2)}`, `${letters(rng, 1)}${int(rng, 1, 99)} ${int(rng, 1, 9)}${letters(rng, 2)}`, `${letters(rng, 2)}${int(rng, 1, 20)} ${int(rng, 1, 9)}${letters(rng, 2)}`]);
}

function address(rng: Rng): { value: string; lowercase: boolean } {
  const n = `${int(rng, 1, 2500)}${rng() < 0.15 ? pick(rng, ['A', 'B', 'b']) : ''}`;
  const kind = pick(rng, ['en', 'en', 'en', 'fr', 'de', 'es', 'lower']);
  if (kind === 'fr') {
    const street = `${int(rng, 1, 120)} ${pick(rng, ['rue de la Paix', 'avenue Victor Hugo', 'boulevard Saint-Germain', 'rue du Faubourg Saint-Honoré', 'place de la Concorde', 'via Roma', 'corso Buenos Aires'])}`;
    return { value: rng() < 0.4 ? `${street}, ${int(rng, 10000, 95999)} ${pick(rng, ['Paris', 'Lyon', 'Milano'])}` : street, lowercase: false };
  }
  if (kind === 'de') {
    const street = `${pick(rng, ['Haupt', 'Linden', 'Berliner ', 'Schiller', 'Goethe', 'Bahnhof'])}${pick(rng, ['straße', 'strasse', 'weg', 'platz', 'allee'])} ${int(rng, 1, 200)}${rng() < 0.2 ? 'a' : ''}`;
    return { value: rng() < 0.4 ? `${street.replace('Berliner ', 'Berliner')}, ${int(rng, 10000, 99999)} ${pick(rng, ['Berlin', 'München', 'Hamburg'])}` : street.replace('Berliner ', 'Berliner'), lowercase: false };
  }
  if (kind === 'es') return { value: `${int(rng, 1, 300)} calle de ${pick(rng, ['Alcalá', 'Serrano', 'la Princesa'].filter((s) => s !== 'la Princesa'))}`, lowercase: false };
  if (kind === 'lower') return { value: `${int(rng, 1, 300)} ${pick(rng, STREETS).toLowerCase()} ${pick(rng, ['street', 'road', 'lane', 'avenue', 'drive'])}`, lowercase: true };
  const street = `${n} ${pick(rng, STREETS)} ${pick(rng, SUFFIX)}`;
  const tail = pick(rng, [
    '', '', `, ${pick(rng, ['London', 'Manchester', 'Leeds'])} ${ukPostcode(rng)}`, `, ${pick(rng, ['Mountain View', 'Springfield', 'Austin'])}, ${pick(rng, ['CA', 'IL', 'TX'])} ${int(rng, 10000, 99999)}`,
    `, ${pick(rng, ['New York', 'Boston'])}, ${pick(rng, ['NY', 'MA'])} ${int(rng, 10000, 99999)}-${digits(rng, 4)}`, `, Apt ${int(rng, 1, 40)}${pick(rng, ['', 'B'])}`,
  ]);
  return { value: street + tail, lowercase: false };
}

function ip(rng: Rng): string {
  if (rng() < 0.7) return [int(rng, 1, 223), int(rng, 0, 255), int(rng, 0, 255), int(rng, 1, 254)].join('.');
  const h = (): string => int(rng, 0, 0xffff).toString(16);
  return rng() < 0.5 ? Array.from({ length: 8 }, h).join(':') : `2001:db8::${h()}:${h()}`;
}

// ---------------------------------------------------------------- sentences

const FRAGMENTS: Record<Exclude<PiiType, 'number'>, string[]> = {
  email: ['my email is {}', 'you can reach me at {}', '{} is my email address', 'send the invoice to {}', "I registered with {} but can't log in", 'contact: {}', 'email me ({}) when it ships', 'account email {}', 'please update it to {}'],
  phone: ['call me on {}', 'my phone number is {}', 'you can text me at {}', '{} is my mobile', 'reach me at {} after 5pm', 'my number changed to {}', 'tel: {}', 'ring me ({}) please', 'the courier should phone {}'],
  card: ['I paid with card {}', 'my card number is {}', 'you charged me twice on {}', 'card {} expires 08/27', 'the payment with {} failed', 'please use {} for the refund', '{} was declined'],
  iban: ['please refund to IBAN {}', 'my bank account is {}', 'IBAN: {}', 'transfer it to {} thanks', '{} is my iban', 'the direct debit from {} failed'],
  address: ['please ship to {}', 'my address is {}', 'I moved to {}', 'deliver it to {} instead', 'new address: {}', '{} is my delivery address', 'the parcel went to {} by mistake'],
  ip: ['my IP address is {}', 'the login came from {}', 'I am blocked from {} again', 'I connect from {}', 'ip {} cannot reach the site'],
};
const POSTCODE_FRAGMENTS = ['my postcode is {}', 'zip code {}', 'the postcode on the label says {}', 'my zip is {}'];

// Openers and fillers carry the non-PII numbers that must survive: prices, dates, times, quantities, order numbers.
const OPENERS = ['Hi,', 'Hello,', 'Hey there.', 'Good morning,', '', '', 'Sorry to bother you,', 'URGENT:'];
const FILLERS = [
  'My order {order} has not arrived.', 'It cost {price}.', 'I ordered {qty} items on {date}.', 'The courier came at {time}.', 'Order #{order} was {price} in total.',
  'This is the third time I ask.', 'Can you help?', 'Thanks!', 'Where is my refund?', 'It was supposed to arrive by {date}.', 'I need {qty} more by {date} at {time}.',
  'Tracking says delivered at {time} on {date}.', 'Reference {order}, total {price}.', 'I waited {qty} days.',
];

function distractor(rng: Rng, kind: string): string {
  switch (kind) {
    case 'order': return String(int(rng, 10000, 9999999));
    case 'price': return pick(rng, [`$${int(rng, 1, 499)}.${digits(rng, 2)}`, `€${int(rng, 1, 499)},${digits(rng, 2)}`, `£${int(rng, 1, 99)}`, `${int(rng, 1, 300)}.99 USD`]);
    case 'date': return pick(rng, [`${int(rng, 1, 28)}/${String(int(rng, 1, 12)).padStart(2, '0')}/2026`, `2026-${String(int(rng, 1, 12)).padStart(2, '0')}-${String(int(rng, 1, 28)).padStart(2, '0')}`, `${int(rng, 1, 28)}.${int(rng, 1, 12)}.2026`, `March ${int(rng, 1, 31)}`]);
    case 'time': return pick(rng, [`${int(rng, 0, 23)}:${int(rng, 0, 5)}${int(rng, 0, 9)}`, `${int(rng, 1, 12)}pm`, `${int(rng, 1, 12)}:${int(rng, 1, 5)}0 am`]);
    default: return String(int(rng, 1, 12));
  }
}

/** Appends text with `{}` / `{kind}` slots to a case under construction, recording spans. */
class Builder {
  text = '';
  spans: PiiSpan[] = [];
  distractors: Array<{ start: number; end: number }> = [];
  constructor(private readonly rng: Rng) {}
  add(template: string, pii?: { type: PiiType; value: string }): void {
    const parts = template.split(/(\{[a-z]*\})/);
    for (const part of parts) {
      if (part === '{}' && pii) {
        this.spans.push({ type: pii.type, start: this.text.length, end: this.text.length + pii.value.length });
        this.text += pii.value;
      } else if (/^\{[a-z]+\}$/.test(part)) {
        const value = distractor(this.rng, part.slice(1, -1));
        this.distractors.push({ start: this.text.length, end: this.text.length + value.length });
        this.text += value;
      } else this.text += part;
    }
  }
}

function plant(rng: Rng, type: Exclude<PiiType, 'number'>): { template: string; value: string } {
  switch (type) {
    case 'email': return { template: pick(rng, FRAGMENTS.email), value: email(rng) };
    case 'phone': return { template: pick(rng, FRAGMENTS.phone), value: phone(rng) };
    case 'card': return { template: pick(rng, FRAGMENTS.card), value: card(rng) };
    case 'iban': return { template: pick(rng, FRAGMENTS.iban), value: iban(rng) };
    case 'ip': return { template: pick(rng, FRAGMENTS.ip), value: ip(rng) };
    case 'address': {
      if (rng() < 0.12) return { template: pick(rng, POSTCODE_FRAGMENTS), value: rng() < 0.6 ? ukPostcode(rng) : `${int(rng, 10000, 99999)}-${digits(rng, 4)}` };
      const a = address(rng);
      // Lower-case addresses are only recognisable when the sentence says it is an address.
      return { template: a.lowercase ? pick(rng, ['my address is {}', 'please ship to {}', 'I moved to {}']) : pick(rng, FRAGMENTS.address), value: a.value };
    }
  }
}

const TYPES: ReadonlyArray<Exclude<PiiType, 'number'>> = ['email', 'phone', 'card', 'iban', 'address', 'ip'];

/**
 * Generates `size` messages (default 1,200), each with 1-3 planted values, deterministically.
 *
 * @example
 * const cases = generatePiiTestSet({ seed: 7, size: 2 });
 * cases[0].text  // e.g. "Hi, my email is jane.doe@example.com. It cost $19.99."
 * cases[0].spans // [{ type: 'email', start: 16, end: 36 }]
 */
export function generatePiiTestSet({ seed = 20261128, size = 1200 }: { seed?: number; size?: number } = {}): PiiTestCase[] {
  const rng = mulberry32(seed);
  const cases: PiiTestCase[] = [];
  for (let i = 0; i < size; i++) {
    const b = new Builder(rng);
    const opener = pick(rng, OPENERS);
    if (opener) b.add(`${opener} `);
    const count = pick(rng, [1, 1, 2, 2, 3]);
    // Round-robin start so every type is planted about equally often.
    const types = Array.from({ length: count }, (_, k) => (k === 0 ? TYPES[i % TYPES.length] : pick(rng, TYPES)));
    const pieces: Array<{ template: string; value?: string; type?: PiiType }> = types.map((type) => ({ ...plant(rng, type), type }));
    if (rng() < 0.7) pieces.splice(int(rng, 0, pieces.length), 0, { template: pick(rng, FILLERS) });
    pieces.forEach((piece, k) => {
      let template = piece.template;
      if ((k === 0 && !opener) || /[.!?]\s*$/.test(b.text)) template = template[0].toUpperCase() + template.slice(1);
      const end = piece.value !== undefined ? pick(rng, ['.', '.', '!', '', ',', ' :)', '?']) : '';
      b.add(template + end, piece.value !== undefined && piece.type ? { type: piece.type, value: piece.value } : undefined);
      // After a sentence-ending mark, a plain space or line break; otherwise any joiner.
      if (k < pieces.length - 1) b.add(/[.!?)]$/.test(b.text) ? pick(rng, [' ', '\n']) : pick(rng, [' ', ' and ', '. ', ' - ', '\n']));
    });
    cases.push({ text: b.text, spans: b.spans, distractors: b.distractors });
  }
  return cases;
}

export interface RecallReport {
  perType: Record<string, { planted: number; found: number; recall: number }>;
  overall: { planted: number; found: number; recall: number };
  /** Found spans that overlap no planted value (e.g. a redacted price or order number). */
  spurious: number;
  /** Planted distractors (prices, dates, order numbers) that were altered. */
  distractorsHit: number;
  misses: Array<{ text: string; span: PiiSpan }>;
}

/**
 * Scores a redactor on generated cases: a planted value counts as found when spans of the
 * same type cover every one of its characters.
 */
export function scoreRecall(cases: readonly PiiTestCase[], detect: (text: string) => { found: PiiSpan[] }): RecallReport {
  const perType: RecallReport['perType'] = {};
  let spurious = 0;
  let distractorsHit = 0;
  const misses: RecallReport['misses'] = [];
  for (const c of cases) {
    const { found } = detect(c.text);
    for (const span of c.spans) {
      const entry = (perType[span.type] ??= { planted: 0, found: 0, recall: 0 });
      entry.planted++;
      const same = found.filter((f) => f.type === span.type);
      let covered = true;
      for (let i = span.start; i < span.end && covered; i++) covered = same.some((f) => f.start <= i && i < f.end);
      if (covered) entry.found++;
      else misses.push({ text: c.text, span });
    }
    for (const f of found) if (!c.spans.some((s) => f.start < s.end && s.start < f.end)) spurious++;
    for (const d of c.distractors) if (found.some((f) => f.start < d.end && d.start < f.end)) distractorsHit++;
  }
  let planted = 0;
  let hit = 0;
  for (const entry of Object.values(perType)) {
    entry.recall = entry.planted ? entry.found / entry.planted : 1;
    planted += entry.planted;
    hit += entry.found;
  }
  return { perType, overall: { planted, found: hit, recall: planted ? hit / planted : 1 }, spurious, distractorsHit, misses };
}
