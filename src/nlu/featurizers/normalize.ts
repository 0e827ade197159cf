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
  let t = text.normalize('NFKC');
  if (lowercase) t = t.toLowerCase();
  if (stripAccents) t = t.normalize('NFD').replace(COMBINING_MARKS, '').normalize('NFC');
  return t.replace(/[\u2018\u2019\u02bc`]/g, "'");
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
