import { describe, expect, it } from 'vitest';
import { LEXICON_FEATURES, LexiconFeaturizer, factory } from '../../../src/nlu/featurizers/lexicon.js';
import { createFeaturizer } from '../../../src/nlu/featurizers/registry.js';

const f = new LexiconFeaturizer();
const feature = (text: string, name: (typeof LEXICON_FEATURES)[number]): number => {
  const v = f.transform(text);
  const at = LEXICON_FEATURES.indexOf(name);
  const k = Array.from(v.indices).indexOf(at);
  return k < 0 ? 0 : v.values[k];
};

describe('lexicon featurizer', () => {
  it('is a small dense block with strictly increasing indices', () => {
    expect(f.dense).toBe(true);
    expect(f.dim).toBe(LEXICON_FEATURES.length);
    const v = f.transform('I am NOT happy!!! 😡 but thanks');
    for (let i = 1; i < v.indices.length; i++) expect(v.indices[i]).toBeGreaterThan(v.indices[i - 1]);
    expect(Math.max(...v.indices)).toBeLessThan(f.dim);
  });

  it('scores polarity and flips it under negation', () => {
    expect(f.stats('the support was great').compound).toBeGreaterThan(0.4);
    expect(f.stats('the support was awful').compound).toBeLessThan(-0.4);
    expect(f.stats('not happy').compound).toBeLessThan(0);
    expect(f.stats("I don't like it").compound).toBeLessThan(0);
    expect(f.stats('not bad at all').compound).toBeGreaterThan(0);
    expect(f.stats('not bad at all').negatedNeg).toBe(1);
  });

  it('reads idioms and sarcasm that word sums get wrong', () => {
    expect(f.stats('thanks for nothing').compound).toBeLessThan(0);
    expect(f.stats('great, another delay').compound).toBeLessThan(0);
    expect(f.stats('great, another delay').sarcasmCue).toBe(true);
    expect(f.stats('great, thanks for the help').sarcasmCue).toBe(false);
  });

  it('weights the clause after "but" more', () => {
    const s = f.stats('the delivery was late but the support was great');
    expect(s.contrast).toBe(true);
    expect(s.compound).toBeGreaterThan(0);
    expect(f.stats('the support was great but the delivery was terribly late').compound).toBeLessThan(s.compound);
  });

  it('amplifies intensifiers, shouting and exclamation marks', () => {
    const plain = f.stats('I am angry').compound;
    expect(f.stats('I am very angry').compound).toBeLessThan(plain);
    expect(f.stats('I am ANGRY').compound).toBeLessThan(plain);
    expect(f.stats('I am angry!!!').compound).toBeLessThan(plain);
    expect(feature('I am SO angry', 'shouting')).toBeGreaterThan(0);
    expect(feature('where is it???', 'repeated_punct')).toBe(1);
  });

  it('reads emoji and emoticons', () => {
    expect(f.stats('arrived today 😍').compound).toBeGreaterThan(0);
    expect(f.stats('arrived today 😡').compound).toBeLessThan(0);
    expect(f.stats('arrived today :)').compound).toBeGreaterThan(0);
    expect(f.stats('arrived today :(').compound).toBeLessThan(0);
  });

  it('keeps polite support requests neutral', () => {
    expect(f.stats('Could you please cancel my order?').compound).toBe(0);
    expect(f.stats('How do I request a refund?').compound).toBe(0);
    expect(feature('Could you please cancel my order?', 'politeness')).toBeGreaterThan(0);
    expect(feature('Could you please cancel my order?', 'question_form')).toBe(1);
  });

  it('is deterministic and stores its settings with the lexicon hash', async () => {
    const a = f.transform('The quality is awful, never again!');
    const b = f.transform('The quality is awful, never again!');
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    const settings = f.settings();
    expect(settings.lexiconHash).toMatch(/^[0-9a-f]{12}$/);
    const again = await factory(settings, {});
    expect(Array.from(again.transform('The quality is awful').values)).toEqual(Array.from(f.transform('The quality is awful').values));
  });

  it('scales the block and rejects bad settings or a different lexicon', () => {
    const double = new LexiconFeaturizer({ scale: 2 });
    expect(double.transform('great').values[0]).toBeCloseTo(2 * f.transform('great').values[0], 5);
    expect(() => new LexiconFeaturizer({ negationWindow: 0 })).toThrow(/negationWindow/);
    expect(() => new LexiconFeaturizer({ typo: 1 })).toThrow(/lexicon/);
    expect(() => new LexiconFeaturizer({ lexiconHash: '000000000000' })).toThrow(/retrain/);
  });

  it('is found by the featurizer registry', async () => {
    const viaRegistry = await createFeaturizer({ kind: 'lexicon' });
    expect(viaRegistry.kind).toBe('lexicon');
    expect(viaRegistry.dim).toBe(f.dim);
  });

  it('returns an empty vector for text without any cue', () => {
    expect(f.transform('').indices.length).toBe(0);
  });

  it('transformScratch equals transform; transform keeps its vectors when called again', () => {
    const texts = ['I am NOT happy!!! 😡 but thanks', '', 'the support was great', 'plain words'];
    const kept = texts.map((t) => f.transform(t));
    texts.forEach((t, i) => {
      const v = f.transformScratch(t);
      expect({ indices: [...v.indices], values: [...v.values] }).toEqual({ indices: [...kept[i].indices], values: [...kept[i].values] });
      expect(f.transform(t)).toEqual(kept[i]);
    });
  });
});
