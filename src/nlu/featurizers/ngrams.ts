import { join } from 'node:path';
import type { Featurizer, FeaturizerFactory, SparseVector, TermFeature } from '../types.js';
import { FNV_OFFSET, fnvChar, fnvRange } from './hash.js';
import { normalize, tokenize } from './normalize.js';
import { NgramsSettings } from './ngrams-settings.js';
import { readFloat32LE, writeBinaryLE } from '../model/binary.js';
import { settingsError } from './errors.js';

const WORD_SEED = fnvRange(FNV_OFFSET, 'w:', 0, 2);
const CHAR_SEED = fnvRange(FNV_OFFSET, 'c:', 0, 2);
const SPACE = 32;

type Emit = (hash: number, part: 0 | 1, term: () => string) => void;

/**
 * Word 1-2-grams and in-word character n-grams, hashed (FNV-1a) into `dim` buckets,
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
  private readonly counts: Float32Array[];
  private readonly out: Float32Array;
  private readonly mark: Uint8Array;

  constructor(settings: Record<string, unknown> = {}, idf?: Float32Array) {
    const parsed = NgramsSettings.safeParse(settings);
    if (!parsed.success) throw settingsError('ngrams', parsed.error);
    this.config = parsed.data;
    this.dim = this.config.dim;
    if (idf && idf.length !== this.dim) throw new Error(`ngrams: IDF file has ${idf.length} values, settings say dim=${this.dim}; the model folder is inconsistent, retrain it`);
    this.idf = idf ?? new Float32Array(this.dim).fill(1);
    this.counts = [new Float32Array(this.dim), new Float32Array(this.dim)];
    this.out = new Float32Array(this.dim);
    this.mark = new Uint8Array(this.dim);
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
      this.walk(text, (h) => {
        const i = h % this.dim;
        if (!seen[i]) { seen[i] = 1; touched.push(i); }
      });
      for (const i of touched) { df[i]++; seen[i] = 0; }
      touched.length = 0;
    }
    const n = texts.length;
    for (let i = 0; i < this.dim; i++) this.idf[i] = Math.log((1 + n) / (1 + df[i])) + 1;
  }

  transform(text: string): SparseVector {
    const { dim, counts, out, mark } = this;
    const lists: number[][] = [[], []];
    this.walk(text, (h, part) => {
      const i = h % dim;
      if (counts[part][i] === 0) lists[part].push(i);
      counts[part][i]++;
    });
    const union: number[] = [];
    const scale = this.partScales(lists[0].length > 0, lists[1].length > 0);
    for (let part = 0; part < 2; part++) {
      const list = lists[part];
      const c = counts[part];
      let norm = 0;
      for (const i of list) {
        const v = this.tf(c[i]) * this.idf[i];
        c[i] = v;
        norm += v * v;
      }
      const k = norm > 0 ? scale[part] / Math.sqrt(norm) : 0;
      for (const i of list) {
        if (!mark[i]) { mark[i] = 1; union.push(i); }
        out[i] += c[i] * k;
        c[i] = 0;
      }
    }
    union.sort((a, b) => a - b);
    const indices = new Int32Array(union);
    const values = new Float32Array(union.length);
    for (let j = 0; j < union.length; j++) {
      const i = union[j];
      values[j] = out[i];
      out[i] = 0;
      mark[i] = 0;
    }
    return { indices, values };
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
      result.push({ term: key.slice(2), index, value: partValue[part].get(index)! * share });
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
    return this.config.sublinearTf ? 1 + Math.log(count) : count;
  }

  /** Enumerates the hashes of all terms; `term()` builds the readable term only when asked. */
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
