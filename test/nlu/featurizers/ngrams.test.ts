import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NgramsFeaturizer, factory } from '../../../src/nlu/featurizers/ngrams.js';
import { normalize, tokenize } from '../../../src/nlu/featurizers/normalize.js';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

describe('normalize and tokenize', () => {
  it('applies NFKC, lowercases, strips accents and unifies apostrophes', () => {
    expect(normalize('Ｃafé’s')).toBe("cafe's");
    expect(normalize('Café', { stripAccents: false })).toBe('café');
  });
  it('splits on punctuation and keeps inner apostrophes', () => {
    expect(tokenize("where's my order #123?")).toEqual(["where's", 'my', 'order', '123']);
  });
});

describe('NgramsFeaturizer', () => {
  it('returns sorted unique indices and an L2-normalised vector', () => {
    const f = new NgramsFeaturizer({ dim: 1 << 12 });
    const v = f.transform('Where is my order, my order?');
    for (let i = 1; i < v.indices.length; i++) expect(v.indices[i]).toBeGreaterThan(v.indices[i - 1]);
    expect(norm(v.values)).toBeCloseTo(1, 5);
    expect(f.transform('')).toEqual({ indices: new Int32Array(0), values: new Float32Array(0) });
  });

  it('transformScratch equals transform, and transform keeps its vectors when called again', () => {
    const f = new NgramsFeaturizer({ charNgrams: [3, 5], charWeight: 0.5 });
    f.fit(['where is my order', 'cancel my order', 'refund please']);
    const texts = ["Where's my ORDER?", '', 'café crème', 'refund '.repeat(300), 'a b', 'order order order'];
    const kept = texts.map((t) => f.transform(t));
    texts.forEach((t, i) => {
      const v = f.transformScratch(t);
      expect({ indices: [...v.indices], values: [...v.values] }).toEqual({ indices: [...kept[i].indices], values: [...kept[i].values] });
      expect(f.transform(t)).toEqual(kept[i]);
    });
  });

  it('is insensitive to case and accents by default', () => {
    const f = new NgramsFeaturizer({});
    expect(f.transform('CAFÉ order')).toEqual(f.transform('cafe order'));
  });

  it('learns IDF: a word in every text weighs less than a rare one', () => {
    const f = new NgramsFeaturizer({ charNgrams: [0, 0] });
    f.fit(['my order', 'my refund', 'my password', 'my hours']);
    const v = f.transform('my order');
    const terms = f.terms('my order');
    const my = terms.find((t) => t.term === 'w:my')!;
    const order = terms.find((t) => t.term === 'w:order')!;
    expect(order.value).toBeGreaterThan(my.value);
    expect(v.values[[...v.indices].indexOf(my.index)]).toBeCloseTo(my.value, 6);
  });

  it('uses sublinear TF: a repeated word grows as 1 + ln(count)', () => {
    const f = new NgramsFeaturizer({ charNgrams: [0, 0], wordNgrams: [1, 1] });
    const t = f.terms('refund refund refund order');
    const refund = t.find((x) => x.term === 'w:refund')!.value;
    const order = t.find((x) => x.term === 'w:order')!.value;
    expect(refund / order).toBeCloseTo(1 + Math.log(3), 5);
  });

  it('terms() sums exactly to transform()', () => {
    const f = new NgramsFeaturizer({ dim: 64 }); // tiny space: plenty of collisions
    f.fit(['where is my order', 'cancel it']);
    const text = 'where is my order? cancel my order';
    const v = f.transform(text);
    const sums = new Map<number, number>();
    for (const t of f.terms(text)) sums.set(t.index, (sums.get(t.index) ?? 0) + t.value);
    expect([...sums.keys()].sort((a, b) => a - b)).toEqual([...v.indices]);
    v.indices.forEach((i, j) => expect(sums.get(i)!).toBeCloseTo(v.values[j], 5));
  });

  it('saves its IDF and the factory restores it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-ngrams-'));
    try {
      const f = new NgramsFeaturizer({ dim: 1 << 10, id: 'words' });
      f.fit(['a b c', 'a d', 'e']);
      await f.save(dir);
      const g = await factory(f.settings(), { modelDir: dir });
      expect(g.transform('a b e')).toEqual(f.transform('a b e'));
      expect(g.settings()).toEqual(f.settings());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad settings naming the field', () => {
    expect(() => new NgramsFeaturizer({ dim: -3 })).toThrow(/dim/);
    expect(() => new NgramsFeaturizer({ colour: 'red' })).toThrow(/colour/);
  });
});
