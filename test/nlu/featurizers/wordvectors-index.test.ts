import { describe, expect, it } from 'vitest';
import { WordIndex } from '../../../src/nlu/featurizers/wordvectors-index.js';

describe('WordIndex', () => {
  it('finds every word of the file at its line, and nothing else', () => {
    const words = ['the', ',', 'refund', "n't", 'café', 'naïve', 're', 'refunds'];
    const index = new WordIndex(words.join('\n') + '\n');
    expect(index.count).toBe(words.length);
    words.forEach((w, i) => { expect(index.get(w)).toBe(i); expect(index.word(i)).toBe(w); });
    for (const w of ['', 'refun', 'refundss', 'The', 'cafe']) expect(index.get(w)).toBeUndefined();
  });

  it('reads a file without a trailing newline and keeps the first of duplicate words', () => {
    const index = new WordIndex('a\nb\na\nc');
    expect(index.count).toBe(4);
    expect(index.get('a')).toBe(0);
    expect(index.get('c')).toBe(3);
    expect(index.word(3)).toBe('c');
  });

  it('agrees with a Map on many words (collisions included)', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${(i * 7919) % 100000}x${i % 13}`);
    const index = new WordIndex(words.join('\n'));
    const map = new Map<string, number>();
    words.forEach((w, i) => { if (!map.has(w)) map.set(w, i); });
    for (const [w, i] of map) expect(index.get(w)).toBe(i);
    expect(index.get('w1x1-not-there')).toBeUndefined();
  });

  it('finds words with characters beyond Latin-1 (kept aside), and no look-alike of them', () => {
    const words = ['the', '’', 'don’t', '€', 'euro', 'x€y', 'x\u0001y', 'café'];
    const index = new WordIndex(words.join('\n') + '\n');
    words.forEach((w, i) => { expect(index.get(w)).toBe(i); expect(index.word(i)).toBe(w); });
    for (const w of ['\u0001', 'don\u0001t', 'don’', '€€', "don't"]) expect(index.get(w)).toBeUndefined();
    // A duplicate of a word kept aside still resolves to its first row.
    const dup = new WordIndex('€\nb\n€\n');
    expect(dup.get('€')).toBe(0);
  });
});
