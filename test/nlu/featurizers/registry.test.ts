import { describe, expect, it } from 'vitest';
import { createFeaturizer, registerFeaturizer } from '../../../src/nlu/featurizers/registry.js';
import { CompositeFeaturizer } from '../../../src/nlu/featurizers/composite.js';
import type { Featurizer } from '../../../src/nlu/types.js';

const constant = (dim: number): Featurizer => ({
  kind: 'constant', dim, dense: true, settings: () => ({ dim }),
  transform: () => ({ indices: Int32Array.from({ length: dim }, (_, i) => i), values: new Float32Array(dim).fill(0.5) }),
});

describe('featurizer registry', () => {
  it('creates the built-in ngrams featurizer and registered ones', async () => {
    expect((await createFeaturizer({ kind: 'ngrams', settings: { dim: 128 } })).dim).toBe(128);
    registerFeaturizer('constant', async (s) => constant(Number(s.dim ?? 2)));
    expect((await createFeaturizer({ kind: 'constant', settings: { dim: 3 } })).dim).toBe(3);
  });

  it('names unknown kinds and the known ones', async () => {
    await expect(createFeaturizer({ kind: 'nope' })).rejects.toThrow(/unknown featurizer kind 'nope'.*ngrams/);
  });

  it('concatenates blocks at offsets with increasing indices', async () => {
    const ngrams = await createFeaturizer({ kind: 'ngrams', settings: { dim: 64 } });
    const c = new CompositeFeaturizer([ngrams, constant(2)]);
    expect(c.dim).toBe(66);
    const v = c.transform('hello there');
    expect([...v.indices.slice(-2)]).toEqual([64, 65]);
    for (let i = 1; i < v.indices.length; i++) expect(v.indices[i]).toBeGreaterThan(v.indices[i - 1]);
  });

  it('transformParts gives each block its transform, the same vectors transform concatenates', async () => {
    const ngrams = await createFeaturizer({ kind: 'ngrams', settings: { dim: 64 } });
    const c = new CompositeFeaturizer([ngrams, constant(2)]);
    for (const text of ['hello there', '', 'general kenobi, hello']) {
      const parts = c.transformParts(text).map((p, k) => ({ indices: [...p.indices].map((i) => i + c.offsets[k]), values: [...p.values] }));
      const whole = c.transform(text);
      expect({ indices: parts.flatMap((p) => p.indices), values: parts.flatMap((p) => p.values) }).toEqual({ indices: [...whole.indices], values: [...whole.values] });
    }
  });
});
