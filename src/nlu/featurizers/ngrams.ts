import { join } from 'node:path';
import type { Featurizer, FeaturizerFactory, SparseVector, TermFeature } from '../types.js';
import { FNV_OFFSET, fnvChar, fnvRange } from './hash.js';
import { maxTokens, normalize, tokenRanges, tokenize } from './normalize.js';
import { NgramsSettings } from './ngrams-settings.js';
import { readFloat32LE, writeBinaryLE } from '../model/binary.js';
import { settingsError } from './errors.js';
import { sortBounded } from './sort.js';

const WORD_SEED = fnvRange(FNV_OFFSET, 'w:', 0, 2);
const CHAR_SEED = fnvRange(FNV_OFFSET, 'c:', 0, 2);
const SPACE = 32;

type Emit = (hash: number, part: 0 | 1, term: () => string) => void;

/**
 * Word 1-2-grams and in-word character 2-4-grams (by default), hashed (FNV-1a) into `dim` buckets,
 * sublinear TF x IDF, each part L2-normalised, then mixed so the whole vector has norm 1.
 *
 * @example
 * const f = new NgramsFeaturizer({ charNgrams: [3, 4] });
 * f.fit(['where is my order', 'cancel my order']);
 * f.transform('Where is my ORDER?') // { indices: Int32Array [...], values: Float32Array [...] }
 */
export class NgramsFeaturizer implements Featurizer {
  readonly kind = 'ngrams';
  readonly dense = false;
  readonly dim: number;
  readonly config: NgramsSettings;
  /** IDF per bucket; buckets never seen in `fit` keep the largest IDF. Ones until fitted. */
  idf: Float32Array;
  // The buckets of the last text's word and char terms (`buckets`), sorted in place by `weighPart`.
  private wordBuckets = new Int32Array(1024);
  private charBuckets = new Int32Array(4096);
  private wordCount = 0;
  private charCount = 0;
  private radixScratch = new Int32Array(1024);
  private partIdx = [new Int32Array(1024), new Int32Array(1024)];
  private partVal = [new Float32Array(1024), new Float32Array(1024)];
  private mergedIdx = new Int32Array(2048);
  private mergedVal = new Float32Array(2048);
  private tokStart = new Int32Array(256);
  private tokEnd = new Int32Array(256);

  constructor(settings: Record<string, unknown> = {}, idf?: Float32Array) {
    const parsed = NgramsSettings.safeParse(settings);
    if (!parsed.success) throw settingsError('ngrams', parsed.error);
    this.config = parsed.data;
    this.dim = this.config.dim;
    if (idf && idf.length !== this.dim) throw new Error(`ngrams: IDF file has ${idf.length} values, settings say dim=${this.dim}; the model folder is inconsistent, retrain it`);
    this.idf = idf ?? new Float32Array(this.dim).fill(1);
  }

  settings(): Record<string, unknown> {
    return { ...this.config, wordNgrams: [...this.config.wordNgrams], charNgrams: [...this.config.charNgrams] };
  }

  /** Smoothed IDF: ln((1 + N) / (1 + df)) + 1, as scikit-learn does. */
  fit(texts: readonly string[]): void {
    const df = new Float64Array(this.dim);
    const seen = new Uint8Array(this.dim);
    const touched: number[] = [];
    for (const text of texts) {
      this.buckets(text);
      for (let j = 0; j < this.wordCount; j++) { const i = this.wordBuckets[j]; if (!seen[i]) { seen[i] = 1; touched.push(i); } }
      for (let j = 0; j < this.charCount; j++) { const i = this.charBuckets[j]; if (!seen[i]) { seen[i] = 1; touched.push(i); } }
      for (const i of touched) { df[i]++; seen[i] = 0; }
      touched.length = 0;
    }
    const n = texts.length;
    for (let i = 0; i < this.dim; i++) this.idf[i] = Math.log((1 + n) / (1 + df[i])) + 1;
  }

  transform(text: string): SparseVector {
    const v = this.transformScratch(text);
    return { indices: v.indices.slice(), values: v.values.slice() };
  }

  /** `transform` into arrays this featurizer reuses: valid until its next call. */
  transformScratch(text: string): SparseVector {
    this.buckets(text);
    const scale = this.partScales(this.wordCount > 0, this.charCount > 0);
    this.ensureScratch(this.wordCount + this.charCount);
    const w = this.weighPart(this.wordBuckets, this.wordCount, scale[0], this.partIdx[0], this.partVal[0]);
    const c = this.weighPart(this.charBuckets, this.charCount, scale[1], this.partIdx[1], this.partVal[1]);
    const n = mergeSorted(this.partIdx[0], this.partVal[0], w, this.partIdx[1], this.partVal[1], c, this.mergedIdx, this.mergedVal);
    // Views, not copies: a typed array of more than a few values gets its own off-heap buffer.
    return { indices: this.mergedIdx.subarray(0, n), values: this.mergedVal.subarray(0, n) };
  }

  private ensureScratch(n: number): void {
    if (this.radixScratch.length >= n) return;
    const size = n * 2;
    this.radixScratch = new Int32Array(size);
    this.partIdx = [new Int32Array(size), new Int32Array(size)];
    this.partVal = [new Float32Array(size), new Float32Array(size)];
    this.mergedIdx = new Int32Array(size);
    this.mergedVal = new Float32Array(size);
  }

  /**
   * Sorts the `n` buckets of one part in place, counts runs, applies TF x IDF and L2-normalises
   * to `scale`, writing into `indices` / `values`; returns how many distinct buckets there are.
   */
  private weighPart(sorted: Int32Array, n: number, scale: number, indices: Int32Array, values: Float32Array): number {
    sortBounded(sorted, n, this.dim, this.radixScratch);
    let unique = 0;
    let norm = 0;
    for (let j = 0; j < n;) {
      // One run of equal buckets: one term, counted.
      const bucket = sorted[j];
      let end = j + 1;
      while (end < n && sorted[end] === bucket) end++;
      const v = this.tf(end - j) * this.idf[bucket];
      indices[unique] = bucket;
      values[unique++] = v;
      norm += v * v;
      j = end;
    }
    const k = norm > 0 ? scale / Math.sqrt(norm) : 0;
    for (let j = 0; j < unique; j++) values[j] *= k;
    return unique;
  }

  /**
   * Every term of `text` with the bucket it hashed to and its share of that bucket's value
   * (terms colliding in one bucket share it in proportion to their counts), so the values
   * of all terms sum exactly to `transform(text)`.
   */
  terms(text: string): TermFeature[] {
    const byTerm = new Map<string, { index: number; part: 0 | 1; count: number }>();
    const partCount: Array<Map<number, number>> = [new Map(), new Map()];
    this.walk(text, (h, part, term) => {
      const index = h % this.dim;
      const key = `${part}|${term()}`;
      const entry = byTerm.get(key);
      if (entry) entry.count++;
      else byTerm.set(key, { index, part, count: 1 });
      partCount[part].set(index, (partCount[part].get(index) ?? 0) + 1);
    });
    const partValue = this.partValues(partCount);
    const result: TermFeature[] = [];
    for (const [key, { index, part, count }] of byTerm) {
      const share = count / partCount[part].get(index)!;
      result.push({ term: (part === 0 ? 'w:' : 'c:') + key.slice(2), index, value: partValue[part].get(index)! * share });
    }
    return result;
  }

  async save(modelDir: string): Promise<void> {
    await writeBinaryLE(join(modelDir, idfFileName(this.config.id)), this.idf);
  }

  private partScales(hasWords: boolean, hasChars: boolean): [number, number] {
    const w = hasWords ? this.config.wordWeight : 0;
    const c = hasChars ? this.config.charWeight : 0;
    const total = Math.sqrt(w * w + c * c) || 1;
    return [w / total, c / total];
  }

  private partValues(partCount: Array<Map<number, number>>): Array<Map<number, number>> {
    const scale = this.partScales(partCount[0].size > 0, partCount[1].size > 0);
    return partCount.map((counts, part) => {
      const values = new Map<number, number>();
      let norm = 0;
      for (const [i, c] of counts) {
        const v = this.tf(c) * this.idf[i];
        values.set(i, v);
        norm += v * v;
      }
      const k = norm > 0 ? scale[part] / Math.sqrt(norm) : 0;
      for (const [i, v] of values) values.set(i, Math.fround(v * k));
      return values;
    });
  }

  private tf(count: number): number {
    // Most terms occur once in a message: skip the logarithm for them.
    return count === 1 ? 1 : this.config.sublinearTf ? 1 + Math.log(count) : count;
  }

  /**
   * Fast path: the bucket of every word term into `wordBuckets` and of every char term into
   * `charBuckets` (typed arrays kept from text to text: emptying a JavaScript array frees its
   * storage, so refilling it allocated again for every text).
   */
  private buckets(text: string): void {
    const { dim } = this;
    const { wordNgrams: [wMin, wMax], charNgrams: [cMin, cMax], lowercase, stripAccents } = this.config;
    // Tokens as ranges of the normalised text: hashed in place, no token strings.
    const norm = normalize(text, { lowercase, stripAccents });
    if (this.tokStart.length < maxTokens(norm.length)) { this.tokStart = new Int32Array(maxTokens(norm.length) * 2); this.tokEnd = new Int32Array(this.tokStart.length); }
    const starts = this.tokStart;
    const ends = this.tokEnd;
    const count = tokenRanges(norm, starts, ends);
    // At most wMax word terms start at a token, and cMax char terms at a character of a padded token.
    if (this.wordBuckets.length < count * wMax) this.wordBuckets = new Int32Array(count * wMax * 2);
    if (this.charBuckets.length < (norm.length + 2 * count) * cMax) this.charBuckets = new Int32Array((norm.length + 2 * count) * cMax * 2);
    const words = this.wordBuckets;
    const chars = this.charBuckets;
    let nw = 0;
    let nc = 0;
    for (let start = 0; start < count; start++) {
      let h = WORD_SEED;
      for (let n = 1; n <= wMax && start + n <= count; n++) {
        const k = start + n - 1;
        if (n > 1) h = fnvChar(h, SPACE);
        h = fnvRange(h, norm, starts[k], ends[k]);
        if (n >= wMin) words[nw++] = (h >>> 0) % dim;
      }
    }
    this.wordCount = nw;
    this.charCount = 0;
    if (cMax <= 0) return;
    for (let k = 0; k < count; k++) {
      // The token padded with a space on each side, read without building the string.
      const from = starts[k] - 1;
      const len = ends[k] - starts[k] + 2;
      for (let i = 0; i < len; i++) {
        let h = CHAR_SEED;
        for (let j = i; j < len && j - i < cMax; j++) {
          const c = j === 0 || j === len - 1 ? SPACE : norm.charCodeAt(from + j);
          h = fnvChar(h, c);
          const n = j - i + 1;
          if (n >= cMin && !(n === 1 && c === SPACE)) chars[nc++] = (h >>> 0) % dim;
        }
      }
    }
    this.charCount = nc;
  }

  /** Slow path for explanations: the hash of every term with its readable form (must match `buckets`). */
  private walk(text: string, emit: Emit): void {
    const { wordNgrams: [wMin, wMax], charNgrams: [cMin, cMax], lowercase, stripAccents } = this.config;
    const tokens = tokenize(normalize(text, { lowercase, stripAccents }));
    for (let start = 0; start < tokens.length; start++) {
      let h = WORD_SEED;
      for (let n = 1; n <= wMax && start + n <= tokens.length; n++) {
        const tok = tokens[start + n - 1];
        if (n > 1) h = fnvChar(h, SPACE);
        h = fnvRange(h, tok, 0, tok.length);
        if (n >= wMin) emit(h >>> 0, 0, () => tokens.slice(start, start + n).join(' '));
      }
    }
    if (cMax <= 0) return;
    for (const tok of tokens) {
      const padded = ` ${tok} `;
      for (let i = 0; i < padded.length; i++) {
        let h = CHAR_SEED;
        for (let j = i; j < padded.length && j - i < cMax; j++) {
          h = fnvChar(h, padded.charCodeAt(j));
          const n = j - i + 1;
          // A lone space is no n-gram.
          if (n >= cMin && !(n === 1 && padded.charCodeAt(j) === SPACE)) emit(h >>> 0, 1, () => padded.slice(i, j + 1));
        }
      }
    }
  }
}

/** Union of two sorted sparse parts into `indices` / `values`, summing values at shared indices; returns its length. */
function mergeSorted(ai: Int32Array, av: Float32Array, na: number, bi: Int32Array, bv: Float32Array, nb: number, indices: Int32Array, values: Float32Array): number {
  let i = 0, j = 0, k = 0;
  for (; i < na || j < nb; k++) {
    if (i < na && j < nb && ai[i] === bi[j]) { indices[k] = ai[i]; values[k] = av[i++] + bv[j++]; }
    else if (j >= nb || (i < na && ai[i] < bi[j])) { indices[k] = ai[i]; values[k] = av[i++]; }
    else { indices[k] = bi[j]; values[k] = bv[j++]; }
  }
  return k;
}

export function idfFileName(id: string): string {
  return `${id}.idf.bin`;
}

/** Registry entry: builds the featurizer from manifest settings, loading its IDF from `modelDir`. */
export const factory: FeaturizerFactory = async (settings, { modelDir }) => {
  if (!modelDir) return new NgramsFeaturizer(settings);
  const probe = new NgramsFeaturizer(settings);
  const idf = await readFloat32LE(join(modelDir, idfFileName(probe.config.id)));
  return new NgramsFeaturizer(settings, idf);
};
