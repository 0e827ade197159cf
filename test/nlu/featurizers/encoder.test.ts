import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingCache } from '../../../src/nlu/featurizers/encoder-cache.js';
import { EncoderFeaturizer, EncoderModelError, EncoderNotPreparedError, factory } from '../../../src/nlu/featurizers/encoder.js';
import { createFeaturizer } from '../../../src/nlu/featurizers/registry.js';
import { generateTinyEncoder } from '../../../src/nlu/tiny-encoder/index.js';

const norm = (a: Float32Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

describe('EmbeddingCache', () => {
  const v = (x: number): Float32Array => Float32Array.of(x);

  it('evicts the least recently used entry beyond its capacity', () => {
    const c = new EmbeddingCache(2);
    c.set('a', v(1));
    c.set('b', v(2));
    expect(c.get('a')).toEqual(v(1)); // a is now the most recent
    c.set('c', v(3));
    expect(c.has('b')).toBe(false);
    expect([c.has('a'), c.has('c'), c.size]).toEqual([true, true, 2]);
  });

  it('keeps a whole batch larger than its capacity when asked to', () => {
    const c = new EmbeddingCache(2);
    for (const k of ['a', 'b', 'c']) c.set(k, v(1), 3);
    expect(c.size).toBe(3);
    c.set('d', v(1));
    expect([c.size, c.has('a'), c.has('d')]).toEqual([2, false, true]);
  });
});

describe('encoder featurizer on a generated tiny BERT-style model (real transformers.js + onnxruntime, offline)', () => {
  let tmp: string;
  let f: EncoderFeaturizer;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-enc-'));
    await generateTinyEncoder(path.join(tmp, 'tiny-encoder'), { dim: 32 });
    f = (await factory({ model: 'tiny-encoder', localPath: tmp, cacheSize: 100, batchSize: 4 }, {})) as EncoderFeaturizer;
  });
  afterAll(async () => {
    await f?.dispose();
    await rm(tmp, { recursive: true, force: true });
  });

  it('embeds texts as unit-length dense blocks of the model size', async () => {
    expect(f).toMatchObject({ kind: 'encoder', dense: true, dim: 32 });
    const texts = ['where is my order?', 'I want a refund', 'reset my password please', 'hello', 'thanks a lot', 'xyzzy qwerty'];
    await f.prepare(texts);
    for (const t of texts) {
      const v = f.transform(t);
      expect(Array.from(v.indices)).toEqual(Array.from({ length: 32 }, (_, i) => i));
      expect(norm(v.values)).toBeCloseTo(1, 5);
    }
  });

  it('gives the same vector for the same text and different vectors for different texts', async () => {
    await f.prepare(['track my package', 'package my track', 'cancel my order']);
    const a = f.transform('track my package').values;
    expect(Array.from(await f.embed('track my package'))).toEqual(Array.from(a));
    const maxDiff = (x: Float32Array, y: Float32Array): number => Math.max(...x.map((v, i) => Math.abs(v - y[i])));
    expect(maxDiff(a, f.transform('cancel my order').values)).toBeGreaterThan(1e-3);
    // Position embeddings: word order matters.
    expect(maxDiff(a, f.transform('package my track').values)).toBeGreaterThan(1e-4);
  });

  it('batching does not change the embedding', async () => {
    const fresh = (await factory({ model: 'tiny-encoder', localPath: tmp, batchSize: 1 }, {})) as EncoderFeaturizer;
    try {
      await fresh.prepare(['I want a refund']);
      await f.prepare(['I want a refund', 'a much longer sentence about my late delivery and the refund']);
      const one = fresh.transform('I want a refund').values;
      const batched = f.transform('I want a refund').values;
      one.forEach((x, i) => expect(batched[i]).toBeCloseTo(x, 5));
    } finally {
      await fresh.dispose();
    }
    // Both featurizers shared one loaded model; releasing one leaves the other working.
    expect(norm(await f.embed('still working after the other one was disposed'))).toBeCloseTo(1, 5);
  });

  it('serves repeated texts from the cache and embeds only new ones', async () => {
    const before = f.stats();
    await f.prepare(['cache me', 'cache me', 'cache me too']);
    await f.prepare(['cache me']);
    f.transform('cache me');
    f.transform('cache me too');
    const after = f.stats();
    expect(after.embedded - before.embedded).toBe(2);
    expect(after.hits - before.hits).toBe(2);
  });

  it('throws a clear error on a text that was not prepared', () => {
    const misses = f.stats().misses;
    expect(() => f.transform('never seen before')).toThrow(EncoderNotPreparedError);
    expect(() => f.transform('never seen before')).toThrow(/call prepare\(\[text\]\) first, or use predictAsync\(\)/);
    expect(f.stats().misses).toBe(misses + 2);
  });

  it('records its dim in settings() and reloads from them; refuses a model of another size', async () => {
    const saved = f.settings();
    expect(saved).toMatchObject({ model: 'tiny-encoder', localPath: tmp, allowRemote: false, dtype: 'fp32', dim: 32 });
    const again = (await factory(saved, {})) as EncoderFeaturizer;
    try {
      expect(Array.from(await again.embed('where is my order?'))).toEqual(Array.from(await f.embed('where is my order?')));
    } finally {
      await again.dispose();
    }
    await expect(factory({ ...saved, dim: 384 }, {})).rejects.toThrow(/gives 32-d embeddings but this model was trained with 384-d/);
  });

  it('loads a model folder given by absolute path, and through the registry', async () => {
    const other = path.join(tmp, 'other', 'tiny-16');
    await generateTinyEncoder(other, { dim: 16, seed: 3 });
    const g = await createFeaturizer({ kind: 'encoder', settings: { model: other } });
    try {
      expect(g.dim).toBe(16);
      await g.prepare!(['hello there']);
      expect(norm(g.transform('hello there').values)).toBeCloseTo(1, 5);
    } finally {
      await (g as EncoderFeaturizer).dispose();
    }
  });

  it('says how to fix a missing model folder instead of trying the network', async () => {
    const err = await factory({ model: 'Xenova/all-MiniLM-L6-v2', localPath: tmp }, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EncoderModelError);
    expect((err as Error).message).toMatch(/not found: expected a model folder at .*Xenova\/all-MiniLM-L6-v2.*allowRemote: true/);
    await expect(factory({ model: 'tiny-encoder', localPath: tmp, pooling: 'cls' }, {})).rejects.toThrow(/invalid settings/);
  });
});

describe('a classifier trained on encoder features (tiny model)', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-enc-clf-'));
    await generateTinyEncoder(path.join(tmp, 'tiny-encoder'), { dim: 32 });
  });
  afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

  const examples = [
    ...['where is my order', 'track my order', 'order status please', 'has my order shipped', 'where is my package', 'track the parcel', 'when will my delivery arrive', 'my package is late']
      .map((text) => ({ text, label: 'track_package' })),
    ...['i want a refund', 'refund my money', 'give me my money back', 'return this item for a refund', 'can i get a refund', 'i want my money back please', 'refund please', 'send the money back']
      .map((text) => ({ text, label: 'return_refund' })),
    ...['reset my password', 'i forgot my password', 'cannot login to my account', 'login problem', 'password reset please', 'my account login failed', 'help me sign in', 'change my password']
      .map((text) => ({ text, label: 'reset_password' })),
  ];

  it('trains, predicts asynchronously, saves and loads again with the same answers', async () => {
    const { trainClassifier, loadModel } = await import('../../../src/nlu/index.js');
    const model = await trainClassifier(examples, {
      task: 'intent', featurizers: [{ kind: 'encoder', settings: { model: 'tiny-encoder', localPath: tmp } }],
      validationSplit: 0, epochs: 200, seed: 1,
    });
    expect(model.manifest.featurizers).toEqual([{ kind: 'encoder', settings: expect.objectContaining({ model: 'tiny-encoder', dim: 32 }) }]);
    let correct = 0;
    for (const e of examples) if ((await model.predictAsync(e.text)).top === e.label) correct++;
    expect(correct / examples.length).toBeGreaterThanOrEqual(0.8);
    // Synchronous predict works on prepared (cached) texts only, and says what to do otherwise.
    expect(model.predict('where is my order').top).toBe((await model.predictAsync('where is my order')).top);
    expect(() => model.predict('a text nobody prepared')).toThrow(/predictAsync/);
    // Explanations of a dense block come from occlusion: each word left out in turn.
    const explained = await model.predictAsync('where is my order', { explain: true });
    expect(explained.explanation?.map((c) => c.feature)).toEqual(expect.arrayContaining(['[encoder] order']));

    const dir = path.join(tmp, 'model');
    await model.save(dir);
    const loaded = await loadModel(dir);
    for (const text of ['where is my order', 'refund please', 'i forgot my password']) {
      const [a, b] = [await model.predictAsync(text), await loaded.predictAsync(text)];
      expect(b.top).toBe(a.top);
      expect(b.confidence).toBeCloseTo(a.confidence, 5);
    }
    for (const f of [...model.features.blocks, ...loaded.features.blocks]) await (f as EncoderFeaturizer).dispose();
  });
});
