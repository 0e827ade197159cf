import { describe, expect, it } from 'vitest';
import { normalize, normalizedTokens, tokenize } from '../../../src/nlu/featurizers/normalize.js';

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
