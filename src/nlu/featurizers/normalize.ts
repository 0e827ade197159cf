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
 * `tokenize(normalize(text, options))`, remembering the last text per options: the blocks of
 * one model (n-grams, word vectors) each tokenise the same text in turn, and this does it
 * once. The returned array is shared: callers must not modify it.
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
