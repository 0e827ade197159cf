import { describe, expect, it } from 'vitest';
import { jaccard, questionTokens } from '../../src/sentiment/similarity.js';

describe('similarity', () => {
  it('keeps content words, normalised and sorted', () => {
    expect(questionTokens('Where is my ORDER??')).toEqual(['order', 'where']);
    expect(questionTokens('')).toEqual([]);
  });

  it('computes Jaccard on token sets', () => {
    expect(jaccard(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(jaccard(['order', 'where'], ['order', 'still', 'where'])).toBeCloseTo(2 / 3, 5);
    expect(jaccard(['a'], ['b'])).toBe(0);
    expect(jaccard([], [])).toBe(0);
  });
});
