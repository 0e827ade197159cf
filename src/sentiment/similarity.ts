/** Text similarity for spotting a customer asking the same thing again. */
import { normalize, tokenize } from '../nlu/featurizers/normalize.js';

// Words that carry no content: two messages sharing only these are not the same question.
const STOP = new Set(['a', 'an', 'the', 'i', 'me', 'my', 'you', 'your', 'is', 'it', 'to', 'of', 'and', 'or', 'for', 'in', 'on',
  'at', 'this', 'that', 'be', 'are', 'was', 'do', 'does', 'did', 'can', 'could', 'please', 'pls', 'so', 'just', 'we', 'our']);

/**
 * The distinct content words of a message, sorted (normalised, stop words dropped).
 *
 * @example questionTokens('Where is my ORDER??') // ['order', 'where']
 */
export function questionTokens(text: string): string[] {
  return [...new Set(tokenize(normalize(text)).filter((t) => !STOP.has(t)))].sort();
}

/**
 * Jaccard similarity of two token sets: |A ∩ B| / |A ∪ B|, 0 when both are empty.
 *
 * @example jaccard(['order', 'where'], ['order', 'still', 'where']) // 0.667
 */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  const setB = new Set(b);
  let both = 0;
  for (const t of new Set(a)) if (setB.has(t)) both++;
  return both / (new Set(a).size + setB.size - both);
}
