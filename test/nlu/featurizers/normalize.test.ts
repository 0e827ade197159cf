import { describe, expect, it } from 'vitest';
import { maxTokens, normalize, normalizedTokens, tokenRanges, tokenize } from '../../../src/nlu/featurizers/normalize.js';

describe('normalize', () => {
  it('gives ASCII text the same result as the full Unicode path', () => {
    const slow = (t: string) => t.normalize('NFKC').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC').replace(/[\u2018\u2019\u02bc`]/g, "'");
    for (const t of ['Where is my ORDER?', "don`t", 'a\tb  c', '', '#123 $4.50']) expect(normalize(t)).toBe(slow(t));
    expect(normalize('Ｃafé’s')).toBe("cafe's");
    expect(normalize('ABC', { lowercase: false })).toBe('ABC');
  });

  it('normalizedTokens equals tokenize(normalize()) for each option set, on repeated and changing texts', () => {
    for (const t of ['Café OK', 'Café OK', 'where’s my order', 'x']) {
      expect(normalizedTokens(t)).toEqual(tokenize(normalize(t)));
      expect(normalizedTokens(t, { stripAccents: false })).toEqual(tokenize(normalize(t, { stripAccents: false })));
    }
  });
});

describe('tokenRanges', () => {
  it('finds exactly the tokens of tokenize, ASCII or not', () => {
    const texts = ['', ' ', '!!!', "where's my order #123?", "a'b' 'c d'' e''f", 'a..b a.b. 12,345.67 ,x, .y', "don't,won't.can't",
      'x', 'a b c d e f', 'MiXeD Case_and-dashes/slashes', "café crème brûlée's", 'ｆｕｌｌ width', 'Ελληνικά русский 中文 😀 ok', 'tab\tnew\nline'];
    for (const t of texts) {
      for (const text of [t, normalize(t)]) {
        const starts = new Int32Array(maxTokens(text.length));
        const ends = new Int32Array(maxTokens(text.length));
        const n = tokenRanges(text, starts, ends);
        expect(Array.from({ length: n }, (_, k) => text.slice(starts[k], ends[k]))).toEqual(tokenize(text));
      }
    }
  });

  it('has room for the most tokens a text can hold', () => {
    for (const text of ['a', 'a b', 'a b c', 'a,b c', '1 2 3 4 5 6 7']) {
      expect(tokenize(text).length).toBeLessThanOrEqual(maxTokens(text.length));
    }
  });
});
