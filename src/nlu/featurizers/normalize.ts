/** Text normalisation and tokenisation shared by the sparse featurizers. */

export interface NormalizeOptions {
  lowercase?: boolean;
  stripAccents?: boolean;
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * Unicode NFKC, optional lowercasing and accent stripping, apostrophes unified.
 *
 * @example normalize('Ｃafé’s', { stripAccents: true }) // "cafe's"
 */
export function normalize(text: string, { lowercase = true, stripAccents = true }: NormalizeOptions = {}): string {
  // ASCII is unchanged by NFKC and NFD, so most texts need one lowercase pass only.
  if (isAscii(text)) {
    const t = lowercase ? text.toLowerCase() : text;
    return t.includes('`') ? t.replace(/`/g, "'") : t;
  }
  let t = text.normalize('NFKC');
  if (lowercase) t = t.toLowerCase();
  if (stripAccents) t = t.normalize('NFD').replace(COMBINING_MARKS, '').normalize('NFC');
  return t.replace(/[\u2018\u2019\u02bc`]/g, "'");
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

// Letters and digits (any script), keeping inner apostrophes ("don't") and inner dots/commas of numbers.
const TOKEN = /[\p{L}\p{N}]+(?:['.,][\p{L}\p{N}]+)*/gu;

/**
 * Splits normalised text into word tokens; punctuation is dropped.
 *
 * @example tokenize("where's my order #123?") // ["where's", "my", "order", "123"]
 */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * The tokens of normalised `text` as ranges instead of strings: token k is
 * `text.slice(starts[k], ends[k])`, exactly the tokens of `tokenize(text)`, and the count is
 * returned. Both arrays need room for `maxTokens(text.length)` tokens. Hashing featurizers read
 * the characters in place, so a text costs no token strings (the regular expression only
 * runs for non-ASCII text).
 *
 * @example tokenRanges("where's #1", starts, ends) // 2; starts [0, 9], ends [7, 10]
 */
export function tokenRanges(text: string, starts: Int32Array, ends: Int32Array): number {
  if (!isAscii(text)) return regexRanges(text, starts, ends);
  const len = text.length;
  let n = 0;
  let i = 0;
  while (i < len) {
    if (!isAsciiAlnum(text.charCodeAt(i))) { i++; continue; }
    const start = i;
    i = alnumRunEnd(text, i);
    // An inner apostrophe, dot or comma joins the next run of letters and digits, as in TOKEN.
    while (i + 1 < len && isJoiner(text.charCodeAt(i)) && isAsciiAlnum(text.charCodeAt(i + 1))) i = alnumRunEnd(text, i + 1);
    starts[n] = start;
    ends[n++] = i;
  }
  return n;
}

/** Most tokens a text of `length` characters can hold (each takes a character and a separator). */
export function maxTokens(length: number): number {
  return (length >> 1) + 1;
}

function regexRanges(text: string, starts: Int32Array, ends: Int32Array): number {
  let n = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    starts[n] = m.index;
    ends[n++] = m.index + m[0].length;
  }
  return n;
}

/** ASCII letters and digits: what `[\p{L}\p{N}]` matches below U+0080. */
function isAsciiAlnum(c: number): boolean {
  const lower = c | 0x20;
  return (c >= 0x30 && c <= 0x39) || (lower >= 0x61 && lower <= 0x7a);
}

function isJoiner(c: number): boolean {
  return c === 0x27 || c === 0x2e || c === 0x2c; // ' . ,
}

function alnumRunEnd(text: string, i: number): number {
  while (i < text.length && isAsciiAlnum(text.charCodeAt(i))) i++;
  return i;
}

/**
 * `tokenize(normalize(text, options))`, remembering the last text per options: the word-vector
 * blocks of the models that read one message (intent, sentiment) tokenise it once. (The
 * n-grams read `tokenRanges` instead: no strings.) The returned array is shared: callers must
 * not modify it.
 *
 * @example normalizedTokens('Where is my ORDER?') // ["where", "is", "my", "order"]
 */
export function normalizedTokens(text: string, options: NormalizeOptions = {}): readonly string[] {
  const key = (options.lowercase ?? true ? 1 : 0) + (options.stripAccents ?? true ? 2 : 0);
  const last = lastTokens[key];
  if (last.text === text) return last.tokens;
  const tokens = tokenize(normalize(text, options));
  lastTokens[key] = { text, tokens };
  return tokens;
}

const lastTokens: Array<{ text: string | undefined; tokens: readonly string[] }> = Array.from({ length: 4 }, () => ({ text: undefined, tokens: [] }));
