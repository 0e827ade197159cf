import { describe, expect, it } from 'vitest';
import { fnv1a32 } from '../../../src/nlu/featurizers/hash.js';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('hello')).toBe(0x4f9f2cab);
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    // 'é' is C3 A9 in UTF-8: the same as hashing those two bytes.
    const bytes = Buffer.from('é', 'utf8');
    let h = 0x811c9dc5;
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(h);
  });
});
